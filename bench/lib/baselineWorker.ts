/**
 * Runs one baseline in a worker thread, so the two baselines build and search at once (the plain
 * one's prefix + fuzzy search alone takes most of the run).
 */
import { parentPort, workerData } from 'node:worker_threads';

import { loadMarkdownCorpus } from './markdownCorpus';
import { buildCarefulBaseline, buildPlainBaseline } from './miniSearchBaselines';
import type { BaselineHit } from './miniSearchBaselines';

/** What the main thread sends: which baseline, where the documents are, what to ask. */
export interface BaselineJob {
  baseline: 'plain' | 'careful';
  docsDir: string;
  questions: string[];
  /** Distinct files returned per question. */
  depth: number;
}

/** What the worker sends back: files and indexed documents, and the hits per question in order. */
export interface BaselineResult {
  files: number;
  indexed: number;
  hits: BaselineHit[][];
  /** Wall time of loading, indexing and searching in this worker (ms). */
  elapsedMs: number;
}

async function run(job: BaselineJob): Promise<BaselineResult> {
  const started = performance.now();
  const files = await loadMarkdownCorpus(job.docsDir);
  const baseline = job.baseline === 'plain' ? buildPlainBaseline(files) : buildCarefulBaseline(files);
  const hits = job.questions.map((q) => baseline.search(q, job.depth));
  return { files: files.length, indexed: baseline.indexed, hits, elapsedMs: performance.now() - started };
}

if (parentPort) {
  const port = parentPort;
  run(workerData as BaselineJob).then(
    (result) => port.postMessage({ ok: true, result }),
    (err: unknown) => port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
}
