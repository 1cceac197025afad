/**
 * `npm run eval:baseline [-- --data DIR] [--json] [--per-question] [--k 5]`: scores the two
 * MiniSearch baselines (bench/lib/miniSearchBaselines.ts) on an eval set with the product's own
 * metric code, so the product's retrieval has numbers to beat.
 *
 * DIR holds `questions.jsonl` and the documents in `corpus/` (else `docs/`); it defaults to
 * `../shared/data/aws-docs-qa` beside the repository root. Ranking is file-level: a question
 * counts when a gold file is among the first k distinct files.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { parseEvalSet } from '../src/core/eval/evalSet';
import { buildEvalReport, ndcgKey, recallKey } from '../src/core/eval/evalReport';
import type { EvalReport, MetricValues } from '../src/core/eval/evalReport';
import { formatOverallTable, formatQuestionTable } from '../src/core/eval/formatEvalTable';
import { describeError } from '../src/core/errors';
import { defaultAwsDocsQaDir } from './lib/markdownCorpus';
import type { BaselineJob, BaselineResult } from './lib/baselineWorker';

// Files ranked per question: MRR looks this deep, and a gold file ranked lower scores 0.
const RANKED_FILES = 100;

// A worker does not inherit tsx's loader: the worker's entry registers it, then loads the .ts file.
const WORKER_ENTRY = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(${JSON.stringify(join(__dirname, 'lib', 'baselineWorker.ts'))});`;

/** Runs one baseline in a worker thread, so the two run at once. */
function runInWorker(job: BaselineJob): Promise<BaselineResult> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(WORKER_ENTRY, { eval: true, workerData: job });
    worker.once('message', (message: { ok: true; result: BaselineResult } | { ok: false; error: string }) => {
      if (message.ok) resolvePromise(message.result);
      else reject(new Error(`${job.baseline} baseline: ${message.error}`));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      json: { type: 'boolean', default: false },
      'per-question': { type: 'boolean', default: false },
      k: { type: 'string', default: '5' },
    },
  });
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1) throw new Error(`--k must be a positive whole number, got ${values.k}`);
  const repoRoot = resolve(__dirname, '..');
  const dataDir = values.data ? resolve(values.data) : defaultAwsDocsQaDir(repoRoot);
  const questionsPath = join(dataDir, 'questions.jsonl');
  if (!existsSync(questionsPath))
    throw new Error(`${questionsPath} not found: pass --data DIR holding questions.jsonl and corpus/ (or docs/)`);
  const docsDir = existsSync(join(dataDir, 'corpus')) ? join(dataDir, 'corpus') : join(dataDir, 'docs');

  const items = parseEvalSet(await readFile(questionsPath, 'utf8'), questionsPath);
  const started = Date.now();
  const names = ['plain', 'careful'] as const;
  const results = await Promise.all(
    names.map((baseline) => runInWorker({ baseline, docsDir, questions: items.map((i) => i.question), depth: RANKED_FILES })),
  );
  const reports: Record<string, EvalReport> = {};
  const sizes: string[] = [];
  names.forEach((name, n) => {
    const result = results[n] as BaselineResult;
    reports[name] = buildEvalReport(
      items.map((item, i) => ({ item, retrieved: result.hits[i] ?? [] })),
      { k },
    );
    sizes.push(`${name}: ${result.indexed} documents, ${(result.elapsedMs / 1000).toFixed(1)} s`);
  });
  const fileCount = results[0]?.files ?? 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const keys = ['questions', recallKey(k), 'mrr', ndcgKey(k)];
  const overall = (report: EvalReport): MetricValues => Object.fromEntries(keys.map((key) => [key, report.overall[key] ?? null]));

  if (values.json) {
    const out: Record<string, unknown> = {
      data: dataDir,
      k,
      files: fileCount,
      baselines: Object.fromEntries(Object.entries(reports).map(([name, r]) => [name, overall(r)])),
    };
    if (values['per-question']) out.questions = Object.fromEntries(Object.entries(reports).map(([name, r]) => [name, r.questions]));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${dataDir}: ${items.length} questions, ${fileCount} files (${sizes.join('; ')}); ${seconds} s in all\n\n`);
  process.stdout.write(
    `${formatOverallTable(
      Object.entries(reports).map(([name, r]) => ({ name, values: r.overall })),
      keys,
    )}\n`,
  );
  if (values['per-question']) {
    for (const [name, report] of Object.entries(reports)) {
      process.stdout.write(`\n${name}\n${formatQuestionTable(report)}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`eval:baseline: ${describeError(err)}\n`);
  process.exitCode = 1;
});
