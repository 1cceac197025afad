/**
 * `npm run bench [-- --quick] [--sizes real,10k,100k] [--data DIR] [--out FILE]`: the index at
 * scale, on the real AWS guides (../shared/data/aws-docs-qa) and on corpora of ~10k / ~100k chunks
 * built from them, with the 100 real questions as queries. Prints tables and writes
 * bench/results.json (not committed). Figures only: nothing here asserts on time.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chunkDocument } from '../src/core/ingest/chunkDocument';
import { embeddingText } from '../src/core/indexer';
import { describeError } from '../src/core/errors';
import { loadBenchFiles, loadQuestions, scaledCorpus } from './lib/benchCorpus';
import type { CorpusResult } from './lib/corpusBench';
import { benchCorpus } from './lib/corpusBench';
import { canCollect, fmt, table } from './lib/measure';
import { defaultAwsDocsQaDir } from './lib/markdownCorpus';
import { benchThroughput } from './lib/throughputBench';
import type { ThroughputResult } from './lib/throughputBench';

const SIZES: Record<string, number> = { '10k': 10_000, '100k': 100_000 };

function corpusTable(results: Record<string, CorpusResult>): string {
  const names = Object.keys(results);
  const r = (f: (c: CorpusResult) => string) => names.map((n) => f(results[n]!));
  const rows: string[][] = [
    ['files', ...r((c) => fmt(c.files, 0))],
    ['chunks', ...r((c) => fmt(c.chunks, 0))],
    ['parse + chunk, files/s', ...r((c) => fmt(c.parseFilesPerSec, 0))],
    ['parse + chunk, chunks/s', ...r((c) => fmt(c.parseChunksPerSec, 0))],
    ['first index, s (chunk + index + embed + save)', ...r((c) => fmt(c.buildMs / 1000))],
    ['  of which read/chunk/index, s', ...r((c) => fmt((c.buildPhasesMs.read ?? 0) / 1000))],
    ['  of which embed (in-process fake), s', ...r((c) => fmt((c.buildPhasesMs.embed ?? 0) / 1000))],
    ['  of which save, s', ...r((c) => fmt((c.buildPhasesMs.save ?? 0) / 1000))],
    ['memory per chunk, KB (heap + external, after GC)', ...r((c) => fmt(c.memoryBytesPerChunk / 1024, 2))],
    ['memory per chunk after restore, KB', ...r((c) => fmt(c.memoryBytesPerChunkRestored / 1024, 2))],
    ['persisted size, MB', ...r((c) => fmt(c.persistedBytes / 2 ** 20))],
    ['restore, s', ...r((c) => fmt(c.restoreMs / 1000, 2))],
    ['restore embedding calls', ...r((c) => fmt(c.restoreEmbedCalls, 0))],
    ['one file edited: re-index, ms', ...r((c) => fmt(c.reindexOneFileMs, 0))],
    ['  of which save, ms', ...r((c) => fmt(c.reindexOneFileSaveMs, 0))],
    ['  chunks re-embedded', ...r((c) => fmt(c.reindexOneFileEmbedded, 0))],
    ['longest event-loop block: first index, ms', ...r((c) => fmt(c.maxBlockBuildMs, 0))],
    ['longest event-loop block: edit, ms', ...r((c) => fmt(c.maxBlockReindexMs, 0))],
    ['longest event-loop block: restore, ms', ...r((c) => fmt(c.maxBlockRestoreMs, 0))],
    ['full-text p50 / p95, ms', ...r((c) => `${fmt(c.query.fulltext.p50, 2)} / ${fmt(c.query.fulltext.p95, 2)}`)],
    ['vector p50 / p95, ms', ...r((c) => `${fmt(c.query.vector.p50, 2)} / ${fmt(c.query.vector.p95, 2)}`)],
    ['hybrid p50 / p95, ms', ...r((c) => `${fmt(c.query.hybrid.p50, 2)} / ${fmt(c.query.hybrid.p95, 2)}`)],
    ['exact float32 scan p50 / p95, ms', ...r((c) => `${fmt(c.query.exact.p50, 1)} / ${fmt(c.query.exact.p95, 1)}`)],
    ['hybrid p95 / exact p95', ...r((c) => fmt(c.query.hybrid.p95 / c.query.exact.p95, 3))],
    ['vector recall@10 vs exact', ...r((c) => fmt(c.vectorRecall10, 3))],
    [
      'full-text file recall@5 / MRR (real corpus: gold files)',
      ...r((c) => (c.fulltextRecall5 === undefined ? '-' : `${fmt(c.fulltextRecall5, 2)} / ${fmt(c.fulltextMrr, 3)}`)),
    ],
  ];
  return table(['', ...names], rows);
}

function sweepTable(results: Record<string, CorpusResult>): string {
  const rows: string[][] = [];
  for (const [name, c] of Object.entries(results)) {
    for (const s of c.rescoreSweep) rows.push([name, String(s.rescore), fmt(s.recall10, 3), fmt(s.p95, 2)]);
  }
  return table(['corpus', 're-scored', 'recall@10 vs exact', 'vector p95, ms'], rows);
}

function throughputTable(results: readonly ThroughputResult[]): string {
  return table(
    ['scenario', 'texts', 's', 'embedded/s', 'failed', 'throttled replies', 'batches re-queued'],
    results.map((t) => [
      t.scenario,
      String(t.texts),
      fmt(t.seconds),
      fmt(t.perSecond),
      String(t.failed),
      String(t.throttledResponses),
      String(t.requeued),
    ]),
  );
}

function flatten(results: Record<string, CorpusResult>, throughput: readonly ThroughputResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let maxBlock = 0;
  for (const [name, c] of Object.entries(results)) {
    const s = `_${name}`;
    Object.assign(out, {
      [`files${s}`]: c.files,
      [`chunks${s}`]: c.chunks,
      [`parse_files_per_s${s}`]: c.parseFilesPerSec,
      [`parse_chunks_per_s${s}`]: c.parseChunksPerSec,
      [`build_ms${s}`]: c.buildMs,
      [`build_phases_ms${s}`]: c.buildPhasesMs,
      [`memory_bytes_per_chunk${s}`]: c.memoryBytesPerChunk,
      [`memory_bytes_per_chunk_restored${s}`]: c.memoryBytesPerChunkRestored,
      [`persisted_bytes${s}`]: c.persistedBytes,
      [`restore_ms${s}`]: c.restoreMs,
      [`restore_embedding_calls${s}`]: c.restoreEmbedCalls,
      [`reindex_one_file_ms${s}`]: c.reindexOneFileMs,
      [`reindex_one_file_save_ms${s}`]: c.reindexOneFileSaveMs,
      [`reindex_one_file_embedded${s}`]: c.reindexOneFileEmbedded,
      [`max_event_loop_block_ms${s}`]: Math.max(c.maxBlockBuildMs, c.maxBlockReindexMs, c.maxBlockRestoreMs),
      [`fulltext_p50_ms${s}`]: c.query.fulltext.p50,
      [`fulltext_p95_ms${s}`]: c.query.fulltext.p95,
      [`vector_p50_ms${s}`]: c.query.vector.p50,
      [`vector_p95_ms${s}`]: c.query.vector.p95,
      [`hybrid_p50_ms${s}`]: c.query.hybrid.p50,
      [`hybrid_p95_ms${s}`]: c.query.hybrid.p95,
      [`exact_scan_p50_ms${s}`]: c.query.exact.p50,
      [`exact_scan_p95_ms${s}`]: c.query.exact.p95,
      [`hybrid_to_exact_p95${s}`]: c.query.hybrid.p95 / c.query.exact.p95,
      [`vector_recall10_vs_exact${s}`]: c.vectorRecall10,
      [`rescore_sweep${s}`]: c.rescoreSweep,
      [`fulltext_file_recall5${s}`]: c.fulltextRecall5,
      [`fulltext_file_mrr${s}`]: c.fulltextMrr,
    });
    maxBlock = Math.max(maxBlock, c.maxBlockBuildMs, c.maxBlockReindexMs, c.maxBlockRestoreMs);
  }
  out.max_event_loop_block_ms = maxBlock;
  out.embedding_throughput = throughput;
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      sizes: { type: 'string' },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!canCollect) log('note: run with node --expose-gc (npm run bench does) for memory figures');
  const repoRoot = resolve(__dirname, '..');
  const dataDir = values.data ? resolve(values.data) : defaultAwsDocsQaDir(repoRoot);
  const corpusDir = existsSync(join(dataDir, 'corpus')) ? join(dataDir, 'corpus') : join(dataDir, 'docs');
  if (!existsSync(corpusDir)) throw new Error(`${corpusDir} not found: pass --data DIR holding questions.jsonl and corpus/`);
  const quick = values.quick;
  let files = await loadBenchFiles(corpusDir);
  let questions = await loadQuestions(join(dataDir, 'questions.jsonl'));
  if (quick) {
    files = files.slice(0, 150);
    questions = questions.slice(0, 20);
  }
  const sizes = (values.sizes ?? (quick ? 'real,2k' : 'real,10k,100k')).split(',').map((s) => s.trim());
  const chunksPerFile = new Map<string, number>();
  const texts: string[] = [];
  for (const f of files) {
    const chunks = await chunkDocument(f, {});
    chunksPerFile.set(f.path, chunks.length);
    for (const c of chunks) if (texts.length < 2000) texts.push(embeddingText(c));
  }
  const results: Record<string, CorpusResult> = {};
  for (const size of sizes) {
    const target = size === 'real' ? undefined : (SIZES[size] ?? Number(size.replace(/k$/i, '000')));
    if (target !== undefined && !(target > 0)) throw new Error(`unknown size ${size}: use real, 10k, 100k or a number`);
    const corpus = target === undefined ? files : scaledCorpus(files, chunksPerFile, target);
    log(`${size}: ${corpus.length} files`);
    results[size] = await benchCorpus(corpus, questions, log, { quality: size === 'real' });
  }
  log('embedding throughput against the fake Bedrock');
  const throughput = await benchThroughput(quick ? texts.slice(0, 60) : texts.slice(0, 1200), quick ? 20 : 50, 8);

  process.stdout.write(`\nIndex at scale (${dataDir}, ${questions.length} questions, 1024-dim vectors as float16 + SimHash codes)\n\n`);
  process.stdout.write(
    `${corpusTable(results)}\n\nVector re-score pool (candidates from the SimHash pre-scan scored exactly)\n\n${sweepTable(results)}\n`,
  );
  process.stdout.write(
    `\nEmbedding throughput (real SDK + Titan adapter, fake Bedrock on 127.0.0.1, concurrency 8)\n\n${throughputTable(throughput)}\n`,
  );
  const json = flatten(results, throughput);
  const out = values.out ? resolve(values.out) : join(repoRoot, 'bench', 'results.json');
  await writeFile(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, quick, seconds: (Date.now() - started) / 1000, ...json }, null, 2)}\n`,
  );
  process.stdout.write(`\nwrote ${out} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${describeError(err)}\n${err instanceof Error ? err.stack : ''}\n`);
  process.exitCode = 1;
});
