/**
 * Knowledge Base `Retrieve` results as search hits: each becomes a Chunk whose `path` is the source
 * URI (s3://, web, Confluence, SharePoint, Salesforce, OneDrive, Google Drive, Kendra...), so it is
 * numbered, cited and fused like a local chunk. The shapes mirror the SDK's without importing it.
 */
import type { Chunk } from '../chunk';
import { fileTypeOf } from '../chunk';
import { contentHash } from '../hash';
import type { SearchHit } from '../index/hybridIndex';
import { s3ConsoleUrl, workspacePathOf } from './sourceLink';

/** `RetrievalResultLocation` of the agent runtime (every member optional, as on the wire). */
export interface RetrievalLocationLike {
  type?: string;
  s3Location?: { uri?: string };
  webLocation?: { url?: string };
  confluenceLocation?: { url?: string };
  salesforceLocation?: { url?: string };
  sharePointLocation?: { url?: string };
  oneDriveLocation?: { url?: string };
  googleDriveLocation?: { url?: string };
  kendraDocumentLocation?: { uri?: string };
  customDocumentLocation?: { id?: string };
  sqlLocation?: { query?: string };
}

/** `KnowledgeBaseRetrievalResult`: content, location, score and metadata of one chunk. */
export interface RetrievalResultLike {
  content?: {
    type?: string;
    text?: string;
    row?: Array<{ columnName?: string; columnValue?: string }>;
    audio?: { s3Uri?: string; transcription?: string };
    video?: { s3Uri?: string; summary?: string };
  };
  location?: RetrievalLocationLike;
  score?: number;
  metadata?: Record<string, unknown>;
  documentId?: string;
}

/** Where a Knowledge Base chunk came from, and how the UI opens it. */
export interface KnowledgeBaseSource {
  knowledgeBaseId: string;
  /** The source URI; the same string as the chunk's `path`. */
  uri: string;
  /** The location type Bedrock reported (S3, WEB, CONFLUENCE...), or the URI's scheme. */
  locationType: string;
  /** An https page to open: the URL itself, or the S3 console page of an s3:// object. */
  link?: string;
  /** The chunk's metadata as returned (x-amz-bedrock-kb-* keys plus the data source's own). */
  metadata: Record<string, unknown>;
}

/** A SearchHit from a Knowledge Base; `score` is the Knowledge Base's relevance score. */
export interface KnowledgeBaseHit extends SearchHit {
  source: KnowledgeBaseSource;
}

/** Metadata keys Bedrock Knowledge Bases add to every chunk. */
export const KB_METADATA = {
  sourceUri: 'x-amz-bedrock-kb-source-uri',
  chunkId: 'x-amz-bedrock-kb-chunk-id',
  dataSourceId: 'x-amz-bedrock-kb-data-source-id',
  pageNumber: 'x-amz-bedrock-kb-document-page-number',
} as const;

/** True for hits that came from a Knowledge Base (they carry a `source`). */
export function isKnowledgeBaseHit(hit: SearchHit): hit is KnowledgeBaseHit {
  return typeof (hit as Partial<KnowledgeBaseHit>).source?.uri === 'string';
}

const nonEmpty = (value: string | undefined): string | undefined => (value && value.trim() !== '' ? value : undefined);

/** The source URI of a result and its location type, from the location or else the metadata. */
export function sourceUriOf(
  location: RetrievalLocationLike | undefined,
  metadata: Record<string, unknown> = {},
): { uri: string; type: string } | undefined {
  const type = location?.type ?? '';
  const fromLocation =
    nonEmpty(location?.s3Location?.uri) ??
    nonEmpty(location?.webLocation?.url) ??
    nonEmpty(location?.confluenceLocation?.url) ??
    nonEmpty(location?.sharePointLocation?.url) ??
    nonEmpty(location?.salesforceLocation?.url) ??
    nonEmpty(location?.oneDriveLocation?.url) ??
    nonEmpty(location?.googleDriveLocation?.url) ??
    nonEmpty(location?.kendraDocumentLocation?.uri);
  if (fromLocation) return { uri: fromLocation, type: type || schemeOf(fromLocation) };
  const custom = nonEmpty(location?.customDocumentLocation?.id);
  if (custom) return { uri: `custom:${custom}`, type: type || 'CUSTOM' };
  const sql = nonEmpty(location?.sqlLocation?.query);
  if (sql) return { uri: `sql:${sql.replace(/\s+/g, ' ').trim().slice(0, 200)}`, type: type || 'SQL' };
  const fromMetadata = metadata[KB_METADATA.sourceUri];
  if (typeof fromMetadata === 'string' && fromMetadata !== '') return { uri: fromMetadata, type: type || schemeOf(fromMetadata) };
  return undefined;
}

function schemeOf(uri: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === 's3') return 'S3';
  if (scheme === 'http' || scheme === 'https') return 'WEB';
  return scheme ? scheme.toUpperCase() : 'UNKNOWN';
}

/** The readable text of a result: text, table row, audio transcript or video summary. */
export function resultText(content: RetrievalResultLike['content']): string {
  if (!content) return '';
  if (content.row && content.row.length > 0) return content.row.map((c) => `${c.columnName ?? ''}: ${c.columnValue ?? ''}`).join('\n');
  return content.text ?? content.audio?.transcription ?? content.video?.summary ?? '';
}

// The last path segment of a URI, decoded when it can be: "guide/setup.md" for a title.
function titleOf(uri: string, metadata: Record<string, unknown>): string {
  for (const key of ['title', 'Title', 'x-amz-bedrock-kb-title']) {
    const value = metadata[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  const path = uri.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1) || path;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Options for turning results into hits. */
export interface KnowledgeBaseHitOptions {
  knowledgeBaseId: string;
  /** Region of the Knowledge Base, for S3 console links. */
  region: string;
}

/**
 * Results -> hits, in the order given. Results without text (images) or without any location are
 * dropped. Knowledge Base chunks have no line numbers: `startLine`/`endLine` are 1, `page` is set
 * for PDF pages the Knowledge Base reports.
 */
export function toKnowledgeBaseHits(results: readonly RetrievalResultLike[], options: KnowledgeBaseHitOptions): KnowledgeBaseHit[] {
  const hits: KnowledgeBaseHit[] = [];
  const seen = new Set<string>();
  for (const result of results) {
    const metadata = result.metadata ?? {};
    const text = resultText(result.content);
    const where = sourceUriOf(result.location, metadata);
    if (!where || text.trim() === '') continue;
    const { uri } = where;
    const chunkKey = metadata[KB_METADATA.chunkId];
    const base = `${uri}#${typeof chunkKey === 'string' && chunkKey !== '' ? chunkKey : contentHash(text).slice(0, 16)}`;
    // Two results with the same id would fuse into one: keep both, apart.
    let id = base;
    for (let n = 2; seen.has(id); n++) id = `${base}~${n}`;
    seen.add(id);
    const page = metadata[KB_METADATA.pageNumber];
    const plainUri = uri.replace(/[?#].*$/, '');
    const chunk: Chunk = {
      id,
      path: uri,
      fileType: fileTypeOf(plainUri) ?? (/^https?:/i.test(uri) ? 'html' : 'text'),
      title: titleOf(uri, metadata),
      breadcrumb: [],
      startLine: 1,
      endLine: 1,
      ...(typeof page === 'number' && Number.isInteger(page) && page > 0 ? { page } : {}),
      text,
    };
    const link = /^https?:\/\//i.test(uri) ? uri : s3ConsoleUrl(uri, options.region);
    hits.push({
      chunk,
      score: typeof result.score === 'number' && Number.isFinite(result.score) ? result.score : 0,
      source: { knowledgeBaseId: options.knowledgeBaseId, uri, locationType: where.type, ...(link ? { link } : {}), metadata },
    });
  }
  return hits;
}

/**
 * For eval: Knowledge Base hits whose URI lies under `syncedPrefix` (where the workspace's docs are
 * synced) get the workspace path, so they are scored against the eval set's relative paths.
 * Other hits pass unchanged.
 */
export function withWorkspacePaths<T extends SearchHit>(hits: readonly T[], syncedPrefix: string | undefined): T[] {
  return hits.map((hit) => {
    const local = isKnowledgeBaseHit(hit) ? workspacePathOf(hit.chunk.path, syncedPrefix) : undefined;
    return local ? { ...hit, chunk: { ...hit.chunk, path: local, fileType: fileTypeOf(local) ?? hit.chunk.fileType } } : hit;
  });
}
