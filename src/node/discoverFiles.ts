/**
 * Finds the documents to index under a workspace folder: include/exclude globs (fast-glob),
 * .gitignore files at every level and .git/info/exclude (ignore), a size limit, binary sniffing
 * (isbinaryfile), and symbolic links that never lead out of the folder. All file system access is
 * async, so the event loop stays free.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import fg from 'fast-glob';
import { isBinaryFile } from 'isbinaryfile';
import type { SkippedFile } from '../core/chunk';
import { fileTypeOf } from '../core/chunk';
import { BedrockDocsError } from '../core/errors';
import { GitignoreMatcher } from '../core/ingest/gitignoreMatcher';

/** A document found on disk. */
export interface DiscoveredFile {
  /** Relative to the root, '/' separators. */
  path: string;
  absPath: string;
  /** Bytes. */
  size: number;
  /** Last modification, ms since the epoch. */
  mtimeMs: number;
}

/** The bedrockDocs.index.* settings that select files, plus cancellation. */
export interface DiscoverOptions {
  /** Globs relative to the root (bedrockDocs.index.include). */
  include: string[];
  /** Globs never indexed (bedrockDocs.index.exclude); excluded folders are not walked. */
  exclude: string[];
  /** Apply .gitignore files and .git/info/exclude (bedrockDocs.index.respectGitignore). */
  respectGitignore: boolean;
  /** Files larger than this (KiB) are skipped (bedrockDocs.index.maxFileSizeKB). */
  maxFileSizeKB: number;
  /** Checked between files; an abort throws a CANCELLED BedrockDocsError. */
  signal?: AbortSignal;
}

/** What was found, and what matched but will not be indexed. */
export interface DiscoverResult {
  /** Sorted by path (code-unit order). */
  files: DiscoveredFile[];
  /** Matched but not indexable, with the reason; sorted by path. Ignored and excluded files are not listed. */
  skipped: SkippedFile[];
}

interface Candidate {
  path: string;
  isLink: boolean;
  size: number;
  mtimeMs: number;
}

const FS_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'file no longer exists',
  ELOOP: 'symbolic link loop',
  EISDIR: 'is a folder',
  EBUSY: 'file is busy',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** A short reason for a file system error, e.g. "permission denied (EACCES)". */
export function describeFsError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `${FS_ERRORS[code] ?? 'file system error'} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BedrockDocsError('CANCELLED', 'File discovery was cancelled', undefined, { cause: signal.reason });
}

function isInside(root: string, target: string): boolean {
  return target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);
}

// Enough parallel stat/sniff calls to hide latency; few enough not to hog libuv's thread pool.
const CONCURRENCY = 8;

async function walk(root: string, options: DiscoverOptions, gitignoreFiles: string[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  const patterns = options.respectGitignore ? [...options.include, '**/.gitignore'] : options.include;
  // Dot files and folders are left out unless a pattern names them (e.g. '.github/**/*.md'):
  // hidden folders hold tool state (.venv, .cache), not documentation.
  const stream = fg.stream(patterns, {
    cwd: root,
    dot: false,
    followSymbolicLinks: false,
    onlyFiles: false,
    objectMode: true,
    stats: true,
    ignore: options.exclude,
    suppressErrors: true,
    unique: true,
  });
  for await (const raw of stream) {
    throwIfAborted(options.signal);
    const entry = raw as unknown as fg.Entry;
    const stats = entry.stats;
    const isLink = entry.dirent.isSymbolicLink();
    if (!isLink && !entry.dirent.isFile()) continue;
    if (options.respectGitignore && (entry.path === '.gitignore' || entry.path.endsWith('/.gitignore'))) {
      if (!isLink) gitignoreFiles.push(entry.path);
      continue;
    }
    candidates.push({ path: entry.path, isLink, size: stats?.size ?? 0, mtimeMs: stats?.mtimeMs ?? 0 });
  }
  return candidates;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

const toPosix = (path: string): string => path.split(sep).join('/');

/**
 * The ignore rules git applies inside `root`: .git/info/exclude and the .gitignore files between
 * the repository's top and the root (when the root is inside a repository), then the root's own
 * and nested .gitignore files, shallow to deep.
 */
async function loadGitignore(root: string, realRoot: string, nested: string[]): Promise<GitignoreMatcher> {
  const matcher = new GitignoreMatcher();
  const ancestors: string[] = [];
  let top: string | undefined;
  for (let dir = realRoot; ; dir = dirname(dir)) {
    if (
      await stat(join(dir, '.git')).then(
        () => true,
        () => false,
      )
    ) {
      top = dir;
      break;
    }
    if (dirname(dir) === dir) break;
    ancestors.unshift(dirname(dir));
  }
  if (top !== undefined) {
    const above = (dir: string): { dir?: string; above?: string } =>
      dir === realRoot ? { dir: '' } : { above: toPosix(relative(dir, realRoot)) };
    const exclude = await readOptional(join(top, '.git', 'info', 'exclude'));
    if (exclude !== undefined) matcher.add(exclude, above(top));
    for (const dir of ancestors.filter((d) => isInside(top as string, d) && d !== realRoot)) {
      const content = await readOptional(join(dir, '.gitignore'));
      if (content !== undefined) matcher.add(content, above(dir));
    }
  }
  const depth = (path: string): number => path.split('/').length;
  const sorted = [...nested].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const path of sorted) {
    const content = await readOptional(join(root, path));
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (content !== undefined) matcher.add(content, { dir });
  }
  return matcher;
}

/** Lists the documents under `root` that the settings select, and why matched files were skipped. */
export async function discoverFiles(root: string, options: DiscoverOptions): Promise<DiscoverResult> {
  throwIfAborted(options.signal);
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    if (!(await stat(realRoot)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (err) {
    throw new BedrockDocsError(
      'BAD_INPUT',
      `Cannot read the folder ${root}: ${describeFsError(err)}`,
      'Open a folder that exists and that you can read.',
      { cause: err },
    );
  }
  const gitignoreFiles: string[] = [];
  const candidates = await walk(root, options, gitignoreFiles);
  const rules = options.respectGitignore ? await loadGitignore(root, realRoot, gitignoreFiles) : undefined;
  throwIfAborted(options.signal);
  const files: DiscoveredFile[] = [];
  const skipped: SkippedFile[] = [];
  const links: Array<{ candidate: Candidate; target: string }> = [];
  const maxBytes = options.maxFileSizeKB * 1024;

  const check = async (candidate: Candidate): Promise<void> => {
    const { path } = candidate;
    if (rules?.ignores(path)) return;
    if (fileTypeOf(path) === undefined) {
      skipped.push({ path, reason: 'not a supported document type' });
      return;
    }
    const absPath = join(root, path);
    let { size, mtimeMs } = candidate;
    try {
      if (candidate.isLink) {
        // Never follow a link out of the folder; a loop fails realpath with ELOOP.
        const target = await realpath(absPath);
        if (!isInside(realRoot, target)) {
          skipped.push({ path, reason: 'symbolic link to a file outside the workspace folder' });
          return;
        }
        const targetStats = await stat(target);
        if (!targetStats.isFile()) {
          skipped.push({ path, reason: 'symbolic link to a folder (not followed)' });
          return;
        }
        ({ size, mtimeMs } = targetStats);
        links.push({ candidate: { ...candidate, size, mtimeMs }, target: toPosix(relative(realRoot, target)) });
        return;
      }
      if (size > maxBytes) {
        skipped.push({ path, reason: `larger than bedrockDocs.index.maxFileSizeKB (${options.maxFileSizeKB} KiB)` });
        return;
      }
      if (fileTypeOf(path) !== 'pdf' && (await isBinaryFile(absPath))) {
        skipped.push({ path, reason: 'binary file' });
        return;
      }
      files.push({ path, absPath, size, mtimeMs });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const reason = code === 'ENOENT' && candidate.isLink ? 'broken symbolic link' : `cannot read: ${describeFsError(err)}`;
      skipped.push({ path, reason });
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < candidates.length) {
      throwIfAborted(options.signal);
      await check(candidates[next++] as Candidate);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, candidates.length) }, worker));

  // A link inside the folder is indexed under its own path unless its target already is.
  const indexed = new Set(files.map((f) => f.path));
  for (const { candidate, target } of links) {
    if (indexed.has(target)) {
      skipped.push({ path: candidate.path, reason: `symbolic link to ${target}, which is indexed` });
      continue;
    }
    if (candidate.size > maxBytes) {
      skipped.push({ path: candidate.path, reason: `larger than bedrockDocs.index.maxFileSizeKB (${options.maxFileSizeKB} KiB)` });
      continue;
    }
    const absTarget = join(realRoot, target);
    if (fileTypeOf(candidate.path) !== 'pdf' && (await isBinaryFile(absTarget).catch(() => true))) {
      skipped.push({ path: candidate.path, reason: 'binary file' });
      continue;
    }
    files.push({ path: candidate.path, absPath: join(root, candidate.path), size: candidate.size, mtimeMs: candidate.mtimeMs });
  }
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { files: files.sort(byPath), skipped: skipped.sort(byPath) };
}
