/**
 * The DocReader agent mode reads through: read-only, and confined to the workspace folders. A
 * path is refused before any file system call when it is absolute (/, \, C:, \\server, file:),
 * climbs (`..`, also Windows' `.. ` and `...`, also URL-encoded or full-width), names a Windows
 * device or stream (CON, a colon), or is not a document type; then the file's realpath must lie
 * inside the realpath of its folder, so no symbolic link leads out. Optionally only indexed paths
 * are readable. Files over a size cap are refused; line ranges are clamped to the file and a cap.
 */
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import fg from 'fast-glob';
import picomatch from 'picomatch';
import type { DocExcerpt, DocListing, DocReader, ReadRange } from '../core/agent/docReader';
import { fileTypeOf } from '../core/chunk';
import { BedrockDocsError, isCancellation } from '../core/errors';
import { decodeText } from '../core/ingest/decodeText';
import { parsePdf } from '../core/ingest/parsePdf';
import type { CallOptions } from '../core/ports';

/** A workspace folder the reader may read from; `name` prefixes its paths when there are several. */
export interface DocRoot {
  name: string;
  /** Absolute path of the folder. */
  root: string;
}

/** The folders, the optional allow-list of indexed paths, and the caps. */
export interface ConfinedDocReaderOptions {
  roots: readonly DocRoot[];
  /** The indexed paths (as chunk paths spell them); when given, nothing else is read or listed. */
  allowedPaths?: () => Iterable<string>;
  /** Larger files are refused, bytes (default 2 MiB, as bedrockDocs.index.maxFileSizeKB). */
  maxFileBytes?: number;
  /** Most lines one read returns (default 400). */
  maxLines?: number;
  /** Most characters one read returns (default 40,000); whole lines, at least one. */
  maxChars?: number;
}

const PATH_HINT = 'Use a document path relative to the workspace, as search_docs or list_docs show it.';
const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Only dots and spaces: "..", "...", ".. " all climb on Windows, which trims trailing dots and spaces.
const CLIMBING_SEGMENT = /^[. ]+$/;

function refuse(message: string, hint = PATH_HINT): BedrockDocsError {
  return new BedrockDocsError('BAD_INPUT', message, hint);
}

/** The path decoded as a URL would be, up to three times (`%252e` -> `%2e` -> `.`). */
function urlDecoded(path: string): string {
  let current = path;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break;
    }
    if (next === current) break;
    current = next;
  }
  return current;
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function problemOf(path: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return 'a drive letter or URL';
  if (path.includes(':')) return 'a colon (Windows stream or drive syntax)';
  const slashed = path.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return 'an absolute path';
  const segments = slashed.split('/');
  if (segments.some((s) => s !== '.' && s !== '' && CLIMBING_SEGMENT.test(s))) return 'a ".." segment';
  if (segments.some((s) => WINDOWS_DEVICE.test(s.trim()))) return 'a reserved device name';
  return undefined;
}

/**
 * Checks a path the model gave and returns it normalised ('/' separators, no '.' or empty
 * segments). Throws BAD_INPUT for anything that could leave the folder or is not a document.
 */
export function normalizeDocPath(path: unknown): string {
  if (typeof path !== 'string' || path.trim() === '') throw refuse('The path is empty.');
  if (path.length > 1024) throw refuse('The path is too long.');
  if (hasControl(path)) throw refuse('The path contains control characters.');
  for (const form of new Set([path, urlDecoded(path), path.normalize('NFKC'), urlDecoded(path).normalize('NFKC')])) {
    const problem = problemOf(form);
    if (problem)
      throw refuse(
        `Refused "${path}": paths must stay inside the workspace, and this one has ${problem}${form === path ? '' : ' once decoded'}.`,
      );
  }
  const normal = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
  if (!fileTypeOf(normal))
    throw refuse(`Refused "${path}": only documentation files (Markdown, text, reStructuredText, AsciiDoc, HTML, PDF) can be read.`);
  return normal;
}

/** Checks a glob the model gave: relative, no `..`, no drive or URL. Returns it with '/' separators. */
export function normalizeDocGlob(glob: unknown): string {
  if (typeof glob !== 'string' || glob.trim() === '') throw refuse('The glob is empty.', 'Pass a glob such as "**/*.md".');
  if (glob.length > 512 || hasControl(glob))
    throw refuse('The glob is too long or has control characters.', 'Pass a glob such as "**/*.md".');
  const problem = problemOf(glob) ?? problemOf(urlDecoded(glob));
  if (problem)
    throw refuse(
      `Refused glob "${glob}": globs are relative to the workspace, and this one has ${problem}.`,
      'Pass a glob such as "guide/**/*.md".',
    );
  return glob.replace(/\\/g, '/').replace(/^\.\/+/, '');
}

/** True when `inner` lies below `outer` (both real, absolute paths). */
function isInside(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function fsCode(err: unknown): string | undefined {
  return (err as { code?: unknown } | null)?.code as string | undefined;
}

/** Reads documents inside the workspace folders only; see the file comment for the rules. */
export class ConfinedDocReader implements DocReader {
  private readonly maxFileBytes: number;
  private readonly maxLines: number;
  private readonly maxChars: number;
  private readonly realRoots = new Map<string, Promise<string>>();

  constructor(private readonly options: ConfinedDocReaderOptions) {
    if (options.roots.length === 0)
      throw new BedrockDocsError('NOT_INDEXED', 'No workspace folder is open.', 'Open a folder to use agent mode.');
    this.maxFileBytes = options.maxFileBytes ?? 2 * 1024 * 1024;
    this.maxLines = options.maxLines ?? 400;
    this.maxChars = options.maxChars ?? 40_000;
  }

  private get prefixed(): boolean {
    return this.options.roots.length > 1;
  }

  private locate(path: string): { root: DocRoot; inner: string } {
    if (!this.prefixed) return { root: this.options.roots[0]!, inner: path };
    const slash = path.indexOf('/');
    const root = slash > 0 ? this.options.roots.find((r) => r.name === path.slice(0, slash)) : undefined;
    if (!root)
      throw refuse(
        `"${path}" is in no workspace folder.`,
        `Start the path with a folder name: ${this.options.roots.map((r) => r.name).join(', ')}.`,
      );
    return { root, inner: path.slice(slash + 1) };
  }

  private realRoot(root: DocRoot): Promise<string> {
    let real = this.realRoots.get(root.root);
    if (!real) {
      real = realpath(root.root);
      this.realRoots.set(root.root, real);
      real.catch(() => this.realRoots.delete(root.root));
    }
    return real;
  }

  /** The real path of a document, checked to lie inside its folder's real path. */
  private async resolve(path: string): Promise<string> {
    const { root, inner } = this.locate(path);
    const realRoot = await this.realRoot(root);
    let real: string;
    try {
      real = await realpath(join(root.root, inner));
    } catch (err) {
      const code = fsCode(err);
      throw refuse(code === 'ENOENT' || code === 'ENOTDIR' ? `No document "${path}".` : `Cannot read "${path}" (${code ?? 'error'}).`);
    }
    if (!isInside(realRoot, real)) throw refuse(`Refused "${path}": it leads outside the workspace folder (symbolic link).`);
    if (!fileTypeOf(real)) throw refuse(`Refused "${path}": it links to a file that is not documentation.`);
    return real;
  }

  async read(path: string, range: ReadRange): Promise<DocExcerpt> {
    const normal = normalizeDocPath(path);
    const allowed = this.options.allowedPaths;
    if (allowed && !new Set(allowed()).has(normal))
      throw refuse(`"${normal}" is not an indexed document.`, 'Use list_docs or search_docs to find indexed paths.');
    const real = await this.resolve(normal);
    const bytes = await this.readBytes(normal, real, range.signal);
    const text = fileTypeOf(normal) === 'pdf' ? (await parsePdf(bytes, range.signal)).text : decodeText(bytes);
    return this.excerpt(normal, text, range);
  }

  private async readBytes(path: string, real: string, signal?: AbortSignal): Promise<Uint8Array> {
    // O_NOFOLLOW: the last component cannot have become a link since realpath (not on Windows).
    const handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch((err: unknown) => {
      throw refuse(`Cannot read "${path}" (${fsCode(err) ?? 'error'}).`);
    });
    try {
      const [opened, named] = await Promise.all([handle.stat(), stat(real)]);
      if (!opened.isFile()) throw refuse(`"${path}" is not a file.`);
      // The file opened is the one checked, not a file swapped in between.
      if (opened.ino !== named.ino || opened.dev !== named.dev) throw refuse(`"${path}" changed while it was being read.`, 'Try again.');
      if (opened.size > this.maxFileBytes)
        throw refuse(
          `"${path}" is larger than ${Math.round(this.maxFileBytes / 1024)} KiB.`,
          'Use search_docs to find the relevant passages instead.',
        );
      const bytes = await handle.readFile({ signal });
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (err) {
      if (isCancellation(err) || signal?.aborted)
        throw new BedrockDocsError('CANCELLED', 'Reading was cancelled.', undefined, { cause: err });
      throw err;
    } finally {
      await handle.close();
    }
  }

  private excerpt(path: string, text: string, range: ReadRange): DocExcerpt {
    const lines = text.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const totalLines = lines.length;
    const start = Math.max(1, Math.floor(range.startLine));
    if (start > totalLines)
      throw refuse(
        `startLine ${start} is past the end of "${path}", which has ${totalLines} lines.`,
        `Read a range within lines 1-${totalLines}.`,
      );
    const wanted = Math.max(start, Math.floor(range.endLine));
    const maxChars = Math.min(this.maxChars, range.maxChars ?? Infinity);
    let end = Math.min(totalLines, wanted, start + this.maxLines - 1);
    let chars = 0;
    const kept: string[] = [];
    for (let n = start; n <= end; n++) {
      const line = lines[n - 1]!;
      if (kept.length > 0 && chars + line.length + 1 > maxChars) {
        end = n - 1;
        break;
      }
      // A single line longer than the cap is cut: the excerpt still names that one line.
      kept.push(kept.length === 0 && line.length > maxChars ? `${line.slice(0, maxChars)}…` : line);
      chars += line.length + 1;
    }
    return { path, startLine: start, endLine: end, totalLines, text: kept.join('\n'), clamped: end < wanted || start !== range.startLine };
  }

  async list(glob: string, options: CallOptions & { limit?: number } = {}): Promise<DocListing> {
    const pattern = normalizeDocGlob(glob);
    const isMatch = picomatch(pattern, { dot: true });
    const limit = options.limit ?? 200;
    const allowed = this.options.allowedPaths;
    const candidates = allowed ? [...allowed()] : await this.walk(options.signal);
    const matches = [...new Set(candidates.filter((p) => fileTypeOf(p) && isMatch(p)))].sort();
    return { paths: matches.slice(0, limit), total: matches.length };
  }

  // Without an index: every document under each folder, links not followed, dot-folders skipped.
  private async walk(signal?: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    for (const root of this.options.roots) {
      if (signal?.aborted) throw new BedrockDocsError('CANCELLED', 'Listing was cancelled.');
      const entries = await fg('**/*', {
        cwd: root.root,
        onlyFiles: true,
        followSymbolicLinks: false,
        dot: false,
        suppressErrors: true,
        ignore: ['**/node_modules/**'],
      });
      const prefix = this.prefixed ? `${root.name}/` : '';
      for (const entry of entries) out.push(prefix + entry);
    }
    return out;
  }
}
