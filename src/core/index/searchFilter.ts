/**
 * Metadata filters: a folder or file prefix, a glob, file types. Usable from settings, the chat's
 * scope picker, and inside a query (`path:guide/ type:md proxy port`).
 */
import picomatch from 'picomatch';
import type { FileType } from '../chunk';

export interface SearchFilter {
  /** A folder ("guide" or "guide/") or a file path, relative to the indexed root. */
  pathPrefix?: string;
  /** A glob over relative paths, e.g. "guide/**\/*.md". */
  glob?: string;
  fileTypes?: FileType[];
}

const TYPE_ALIASES: Record<string, FileType> = {
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  txt: 'text',
  text: 'text',
  rst: 'rst',
  adoc: 'asciidoc',
  asciidoc: 'asciidoc',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
};

/** Normalises a user-typed folder or file prefix: forward slashes, no leading ./ or trailing /. */
export function normalizePrefix(prefix: string): string {
  return prefix
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
}

/**
 * Splits `path:X`, `in:X`, `glob:X` and `type:X` (or `ext:X`) tokens off a query. Unknown types are
 * left in the text, so a question that merely contains a colon is not mangled.
 */
export function parseQuery(input: string): { text: string; filter: SearchFilter } {
  const filter: SearchFilter = {};
  const words: string[] = [];
  for (const word of input.split(/\s+/)) {
    const m = /^(path|in|glob|type|ext):(.+)$/i.exec(word);
    if (!m) {
      if (word) words.push(word);
      continue;
    }
    const key = m[1]!.toLowerCase();
    const value = m[2]!.replace(/^["']|["']$/g, '');
    if (key === 'path' || key === 'in') filter.pathPrefix = normalizePrefix(value);
    else if (key === 'glob') filter.glob = value;
    else {
      const types = value.split(',').map((t) => TYPE_ALIASES[t.toLowerCase().replace(/^\./, '')]);
      if (types.every((t): t is FileType => t !== undefined)) filter.fileTypes = [...new Set([...(filter.fileTypes ?? []), ...types])];
      else words.push(word);
    }
  }
  return { text: words.join(' '), filter };
}

/** True when the filter restricts anything. */
export function hasFilter(filter: SearchFilter | undefined): filter is SearchFilter {
  return !!filter && (!!filter.pathPrefix || !!filter.glob || (filter.fileTypes?.length ?? 0) > 0);
}

/** Every ancestor folder of a relative path: "a/b/c.md" -> ["a", "a/b"]. */
export function ancestorFolders(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/** Paths (from `paths`) that a glob matches. */
export function matchGlob(glob: string, paths: Iterable<string>): string[] {
  const isMatch = picomatch(glob, { dot: true });
  const out: string[] = [];
  for (const p of paths) if (isMatch(p)) out.push(p);
  return out;
}
