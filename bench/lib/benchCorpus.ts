/**
 * Corpora for `npm run bench`: the real AWS guides, and larger ones built from them by copying the
 * files under `copy-N/` with a few words dropped per line (seeded), so copies are near-duplicates
 * (like versioned docs) rather than identical: their vectors and scores do not tie.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallOptions, DocumentSource, SourceListing } from '../../src/core/ports';
import { loadMarkdownCorpus } from './markdownCorpus';

/** One document of a corpus. */
export interface BenchFile {
  path: string;
  bytes: Uint8Array;
}

/** A DocumentSource held in memory, whose files a benchmark can edit (mtime moves on each edit). */
export class MemorySource implements DocumentSource {
  private readonly files = new Map<string, { bytes: Uint8Array; mtimeMs: number }>();
  private clock = 1_700_000_000_000;

  constructor(files: readonly BenchFile[]) {
    for (const f of files) this.files.set(f.path, { bytes: f.bytes, mtimeMs: this.clock });
  }

  /** Replaces (or adds) a file. */
  write(path: string, bytes: Uint8Array): void {
    this.files.set(path, { bytes, mtimeMs: ++this.clock });
  }

  bytesOf(path: string): Uint8Array | undefined {
    return this.files.get(path)?.bytes;
  }

  async list(_options?: CallOptions): Promise<SourceListing> {
    return { files: [...this.files].map(([path, f]) => ({ path, size: f.bytes.byteLength, mtimeMs: f.mtimeMs })), skipped: [] };
  }

  async read(path: string): Promise<Uint8Array> {
    const file = this.files.get(path);
    if (!file) throw new Error(`no file ${path}`);
    return file.bytes;
  }
}

/** The Markdown files of a folder, as bytes. */
export async function loadBenchFiles(root: string): Promise<BenchFile[]> {
  const files = await loadMarkdownCorpus(root);
  return files.map((f) => ({ path: f.path, bytes: Buffer.from(f.text) }));
}

/** The questions of an eval set (JSONL with `question` and `relevant`). */
export async function loadQuestions(path: string): Promise<Array<{ question: string; relevant: string[] }>> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { question: string; relevant: string[] });
}

/** A deterministic PRNG in [0, 1). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

// Headings, fences and table rows keep their words, so the structure (and the chunking) stays.
function vary(text: string, random: () => number): string {
  let fenced = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced || /^\s*(#|\||```|~~~)/.test(line)) return line;
      return line
        .split(' ')
        .filter(() => random() >= 0.05)
        .join(' ');
    })
    .join('\n');
}

/**
 * Files for a corpus of about `targetChunks` chunks: the originals first, then varied copies
 * (`copy-1/...`, `copy-2/...`), file by file until the estimate is reached. `chunksPerFile` is
 * the original's chunk count per path (the copies chunk to about as many).
 */
export function scaledCorpus(files: readonly BenchFile[], chunksPerFile: ReadonlyMap<string, number>, targetChunks: number): BenchFile[] {
  const out: BenchFile[] = [];
  let estimate = 0;
  for (let copy = 0; estimate < targetChunks; copy++) {
    const random = seededRandom(0x9e3779b1 + copy * 7919);
    for (const file of files) {
      if (estimate >= targetChunks) break;
      const n = chunksPerFile.get(file.path) ?? 0;
      if (n === 0) continue;
      if (copy === 0) out.push(file);
      else out.push({ path: join(`copy-${copy}`, file.path), bytes: Buffer.from(vary(Buffer.from(file.bytes).toString('utf8'), random)) });
      // A copy has 5 % fewer words: it chunks to ~2 % fewer chunks (measured), so count it a bit lower.
      estimate += copy === 0 ? n : n * 0.97;
    }
    if (copy > 50) break;
  }
  return out;
}
