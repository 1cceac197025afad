/**
 * Where a retrieved chunk opens. Local chunks carry a workspace-relative path; Knowledge Base chunks
 * carry their source URI (`s3://bucket/key`, a web, Confluence, SharePoint or Salesforce URL), which
 * the UI opens in a browser: S3 objects through the S3 console, since browsers cannot open s3://.
 */

/** What the UI does with a chunk's `path`: open the workspace file, open a URL, or nothing. */
export type SourceTarget = { kind: 'workspace'; path: string } | { kind: 'url'; url: string } | { kind: 'none'; reason: string };

// `scheme://` (two or more letters, so a Windows drive C:// is not one), or the two id-only forms
// the Knowledge Base mapping writes; a file named `notes: draft.md` stays a workspace path.
const SCHEME = /^(?:[a-z][a-z0-9+.-]+:\/\/|custom:|sql:)/i;

/** True for paths that are URIs (a Knowledge Base source), false for workspace-relative paths. */
export function isRemoteSourcePath(path: string): boolean {
  return SCHEME.test(path);
}

/** `s3://bucket/key` -> {bucket, key} (key as written, possibly empty); undefined for other URIs. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/?#]+)\/?(.*)$/i.exec(uri);
  if (!m) return undefined;
  return { bucket: m[1] as string, key: m[2] as string };
}

/**
 * The S3 console page of an object (or of a bucket, when the URI has no key). The console needs
 * the bucket's region; a Knowledge Base's S3 data source lives in the Knowledge Base's region.
 */
export function s3ConsoleUrl(uri: string, region: string): string | undefined {
  const parsed = parseS3Uri(uri);
  if (!parsed) return undefined;
  const bucket = encodeURIComponent(parsed.bucket);
  const r = encodeURIComponent(region);
  if (parsed.key === '') return `https://s3.console.aws.amazon.com/s3/buckets/${bucket}?region=${r}`;
  // The console reads `prefix` as the full key; '/' stays readable, everything else is escaped.
  const prefix = encodeURIComponent(parsed.key).replace(/%2F/g, '/');
  return `https://s3.console.aws.amazon.com/s3/object/${bucket}?region=${r}&prefix=${prefix}`;
}

/**
 * The workspace-relative path of a Knowledge Base URI under `prefix`, the location the workspace's
 * docs are synced to (e.g. `s3://acme-docs/repo/`): `s3://acme-docs/repo/guide/a.md` -> `guide/a.md`.
 * Undefined when there is no prefix or the URI is not under it. Lets eval score Knowledge Base hits
 * against workspace paths and lets the UI open the local copy.
 */
export function workspacePathOf(uri: string, prefix: string | undefined): string | undefined {
  if (!prefix) return undefined;
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (!uri.startsWith(base) || uri.length === base.length) return undefined;
  return uri.slice(base.length);
}

/**
 * How to open a chunk's `path`: workspace paths (and URIs under `syncedPrefix`) locally, http(s)
 * URLs as they are, s3:// through the console.
 */
export function sourceTargetOf(path: string, region: string, syncedPrefix?: string): SourceTarget {
  if (!isRemoteSourcePath(path)) return { kind: 'workspace', path };
  const local = workspacePathOf(path, syncedPrefix);
  if (local) return { kind: 'workspace', path: local };
  if (/^https?:\/\//i.test(path)) return { kind: 'url', url: path };
  const consolePage = s3ConsoleUrl(path, region);
  if (consolePage) return { kind: 'url', url: consolePage };
  return { kind: 'none', reason: `${path.split(':')[0]} sources have no page to open` };
}
