/**
 * One corpus through the whole index life cycle, as the product runs it: parse + chunk, a first
 * sync through the Indexer (chunk, index, embed with the fake's embeddings, save), one edited file,
 * a restart (restore), then the 100 real questions in full-text, vector and hybrid mode against
 * an exact Float32Array scan of the same vectors.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkDocument } from '../../src/core/ingest/chunkDocument';
import { embeddingText, Indexer } from '../../src/core/indexer';
import type { IndexerOptions, SyncPhase } from '../../src/core/indexer';
import type { Logger } from '../../src/core/ports';
import { FileSnapshotStore } from '../../src/node/fileSnapshotStore';
import { fakeEmbedding } from '../../test/fakes/fakeEmbedding';
import type { BenchFile } from './benchCorpus';
import { MemorySource } from './benchCorpus';
import { LocalFakeEmbedder } from './localEmbedder';
import { percentile, settledMemory, timeEach, withLoopMonitor } from './measure';
import { exactTopK, recallAgainstExact } from './vectorRecall';

export const DIMENSIONS = 1024;
const RESCORE_SWEEP = [100, 200, 400, 800];

const quiet: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn: (m) => process.stderr.write(`[warn] ${m}\n`),
  error: (m) => process.stderr.write(`[error] ${m}\n`),
};

/** Figures of one corpus; times in ms, sizes in bytes. */
export interface CorpusResult {
  files: number;
  chunks: number;
  parseFilesPerSec: number;
  parseChunksPerSec: number;
  buildMs: number;
  buildPhasesMs: Partial<Record<SyncPhase, number>>;
  memoryBytesPerChunk: number;
  memoryBytesPerChunkRestored: number;
  persistedBytes: number;
  restoreMs: number;
  restoreEmbedCalls: number;
  reindexOneFileMs: number;
  reindexOneFileSaveMs: number;
  reindexOneFileEmbedded: number;
  maxBlockBuildMs: number;
  maxBlockReindexMs: number;
  maxBlockRestoreMs: number;
  query: Record<'fulltext' | 'vector' | 'hybrid' | 'exact', { p50: number; p95: number }>;
  vectorRecall10: number;
  rescoreSweep: Array<{ rescore: number; recall10: number; p95: number }>;
  /** File-level recall@5 and MRR of full-text search, on the real corpus (copies compete with the gold files). */
  fulltextRecall5?: number;
  fulltextMrr?: number;
}

function phaseTimer(): { onProgress: (p: { phase: SyncPhase }) => void; finish: () => Partial<Record<SyncPhase, number>> } {
  const times: Partial<Record<SyncPhase, number>> = {};
  let phase: SyncPhase | undefined;
  let since = performance.now();
  const close = () => {
    if (phase) times[phase] = (times[phase] ?? 0) + performance.now() - since;
  };
  return {
    onProgress: (p) => {
      if (p.phase === phase) return;
      close();
      phase = p.phase;
      since = performance.now();
    },
    finish: () => {
      close();
      phase = undefined;
      return times;
    },
  };
}

async function directorySize(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name))).size;
  return total;
}

// Inserts a sentence into the first prose paragraph: a typical small edit.
function edited(bytes: Uint8Array): Uint8Array {
  const lines = Buffer.from(bytes).toString('utf8').split('\n');
  const at = lines.findIndex((l, i) => i > 0 && l.trim() !== '' && !/^\s*(#|\||```|~~~|[-*] )/.test(l));
  lines.splice(at >= 0 ? at + 1 : lines.length, 0, '', 'The benchmark added this sentence about proxy ports and timeouts.');
  return Buffer.from(lines.join('\n'));
}

/** The first index and one edit, in a scope of their own: the Indexer is garbage when it returns. */
async function buildAndEdit(
  files: readonly BenchFile[],
  source: MemorySource,
  options: IndexerOptions & { embedder: LocalFakeEmbedder },
  dir: string,
  log: (line: string) => void,
) {
  const base = await settledMemory();
  const indexer = new Indexer(options);
  let timer = phaseTimer();
  let started = performance.now();
  const build = await withLoopMonitor(() => indexer.sync({ onProgress: timer.onProgress }));
  const buildMs = performance.now() - started;
  const buildPhasesMs = timer.finish();
  const chunks = build.result.chunks;
  log(`  build: ${chunks} chunks in ${(buildMs / 1000).toFixed(1)} s, longest block ${build.maxBlockMs.toFixed(0)} ms`);
  const memoryBytesPerChunk = ((await settledMemory()) - base) / chunks;
  const persistedBytes = await directorySize(dir);
  const target = files[Math.floor(files.length / 2)]!;
  source.write(target.path, edited(target.bytes));
  timer = phaseTimer();
  started = performance.now();
  const reindex = await withLoopMonitor(() => indexer.sync({ onProgress: timer.onProgress }));
  const reindexOneFileMs = performance.now() - started;
  const reindexPhases = timer.finish();
  log(`  one file edited: ${reindex.result.changedFiles} changed, ${reindex.result.embedded} embedded, ${reindexOneFileMs.toFixed(0)} ms`);
  await options.embedder.close();
  return {
    chunks,
    buildMs,
    buildPhasesMs,
    memoryBytesPerChunk,
    persistedBytes,
    reindexOneFileMs,
    reindexOneFileSaveMs: reindexPhases.save ?? 0,
    reindexOneFileEmbedded: reindex.result.embedded,
    maxBlockBuildMs: build.maxBlockMs,
    maxBlockReindexMs: reindex.maxBlockMs,
  };
}

export async function benchCorpus(
  files: readonly BenchFile[],
  questions: ReadonlyArray<{ question: string; relevant: string[] }>,
  log: (line: string) => void,
  options: { quality: boolean },
): Promise<CorpusResult> {
  let parsedChunks = 0;
  const texts: string[] = [];
  const parseStarted = performance.now();
  for (const f of files) {
    const chunks = await chunkDocument(f, {});
    parsedChunks += chunks.length;
    for (const c of chunks) texts.push(embeddingText(c));
  }
  const parseSeconds = (performance.now() - parseStarted) / 1000;
  const embedder = new LocalFakeEmbedder(DIMENSIONS);
  await embedder.prepare(texts);
  texts.length = 0;
  log(`  parse + chunk: ${files.length} files, ${parsedChunks} chunks in ${parseSeconds.toFixed(1)} s`);

  const dir = await mkdtemp(join(tmpdir(), 'bedrock-docs-bench-'));
  const source = new MemorySource(files);
  const indexerOptions = { source, chunking: {}, logger: quiet, store: new FileSnapshotStore(dir), embedConcurrency: 4 };
  try {
    const firstRun = await buildAndEdit(files, source, { ...indexerOptions, embedder }, dir, log);
    const { chunks } = firstRun;
    const restoredBase = await settledMemory();
    const restarted = new LocalFakeEmbedder(DIMENSIONS);
    const second = new Indexer({ ...indexerOptions, embedder: restarted });
    const started = performance.now();
    const restore = await withLoopMonitor(() => second.restore());
    const restoreMs = performance.now() - started;
    if (!restore.result || second.index.size !== chunks) throw new Error(`restore gave ${second.index.size} chunks, expected ${chunks}`);
    const memoryBytesPerChunkRestored = ((await settledMemory()) - restoredBase) / chunks;
    log(
      `  restore: ${(restoreMs / 1000).toFixed(2)} s, ${restarted.calls} embedding calls, longest block ${restore.maxBlockMs.toFixed(0)} ms`,
    );

    const index = second.index;
    const queryVectors = questions.map((q) => fakeEmbedding(q.question, DIMENSIONS));
    const asked = questions.map((q, i) => ({ text: q.question, vector: queryVectors[i]! }));
    const run = (mode: 'fulltext' | 'vector' | 'hybrid', rescore?: number) => (q: { text: string; vector: Float32Array }) =>
      index.search({ text: q.text, mode, k: 10, queryVector: q.vector, vectorRescore: rescore });
    const twice = [...asked, ...asked];
    const stats = (ms: number[]) => ({ p50: percentile(ms, 50), p95: percentile(ms, 95) });
    timeEach(asked, run('hybrid'));
    const fulltext = stats(timeEach(twice, run('fulltext')));
    const vector = stats(timeEach(twice, run('vector')));
    const hybrid = stats(timeEach(twice, run('hybrid')));

    // The exact baseline: every chunk's float32 vector (as the fake embeds it) in one matrix.
    const ordered = index.filePaths().flatMap((p) => index.chunksOf(p));
    const matrix = new Float32Array(ordered.length * DIMENSIONS);
    ordered.forEach((c, i) => matrix.set(fakeEmbedding(embeddingText(c), DIMENSIONS), i * DIMENSIONS));
    const ordinal = new Map(ordered.map((c, i) => [c.id, i]));
    const exactResults: Array<Array<{ score: number }>> = [];
    const exact = stats(timeEach(queryVectors, (q) => exactResults.push(exactTopK(matrix, DIMENSIONS, q, 10))));
    const vectorRecall10 = recallAgainstExact(matrix, DIMENSIONS, ordinal, queryVectors, exactResults, (q) =>
      index.search({ text: '', mode: 'vector', k: 10, queryVector: q }).map((h) => h.chunk.id),
    );
    const rescoreSweep = RESCORE_SWEEP.map((rescore) => ({
      rescore,
      recall10: recallAgainstExact(matrix, DIMENSIONS, ordinal, queryVectors, exactResults, (q) =>
        index.search({ text: '', mode: 'vector', k: 10, queryVector: q, vectorRescore: rescore }).map((h) => h.chunk.id),
      ),
      p95: percentile(timeEach(asked, run('vector', rescore)), 95),
    }));

    await restarted.close();
    let found = 0;
    let reciprocal = 0;
    for (const q of options.quality ? questions : []) {
      const paths = [...new Set(index.search({ text: q.question, mode: 'fulltext', k: 100 }).map((h) => h.chunk.path))];
      const rank = paths.findIndex((p) => q.relevant.includes(p));
      if (rank >= 0 && rank < 5) found++;
      if (rank >= 0) reciprocal += 1 / (rank + 1);
    }
    return {
      files: files.length,
      parseFilesPerSec: files.length / parseSeconds,
      parseChunksPerSec: parsedChunks / parseSeconds,
      ...firstRun,
      memoryBytesPerChunkRestored,
      restoreMs,
      restoreEmbedCalls: restarted.calls,
      maxBlockRestoreMs: restore.maxBlockMs,
      query: { fulltext, vector, hybrid, exact },
      vectorRecall10,
      rescoreSweep,
      ...(options.quality ? { fulltextRecall5: found / questions.length, fulltextMrr: reciprocal / questions.length } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
