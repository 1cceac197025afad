/**
 * `npm run bench:redaction`: how fast local redaction runs on the chunks that are sent for
 * embedding, and how many replacements it makes on ordinary documentation (the false positives).
 * Corpus: the AWS guides (../shared/data/aws-docs-qa/corpus) cut into chunks by the product's own
 * chunker. Prints MB/s (wall and CPU) per round, min/median, and the findings per category.
 *
 *   npm run bench:redaction -- [--corpus DIR] [--rounds N] [--baseline OTHER/src/core/safety/redact.ts]
 *
 * With --baseline, another checkout's redactor runs in the same process, alternating rounds with
 * this one, and the ratio of CPU times is printed (the machine is shared and noisy: compare within
 * one run, never across runs). Pin it to one core for steadier figures: `taskset -c 0 npm run ...`.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chunkDocument } from '../src/core/ingest/chunkDocument';
import { defaultAwsDocsQaDir, loadMarkdownCorpus } from './lib/markdownCorpus';
import { fmt, table } from './lib/measure';

interface BenchRedactor {
  redact(text: string): string;
  findings(text: string): Array<{ category: string }>;
}
type RedactorModule = { createRedactor(options?: object): BenchRedactor };

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** CPU milliseconds (user + system) and wall milliseconds of one pass over every chunk. */
function timePass(redactor: BenchRedactor, chunks: readonly string[]): { cpuMs: number; wallMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const chunk of chunks) redactor.redact(chunk);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

async function main(): Promise<void> {
  const repoRoot = join(__dirname, '..');
  const corpus = resolve(argValue('--corpus') ?? join(defaultAwsDocsQaDir(repoRoot), 'corpus'));
  const rounds = Number(argValue('--rounds') ?? 5);
  const baselinePath = argValue('--baseline');

  const files = await loadMarkdownCorpus(corpus);
  const chunks: string[] = [];
  for (const f of files) {
    for (const c of await chunkDocument({ path: f.path, bytes: new TextEncoder().encode(f.text) }, {})) chunks.push(c.text);
  }
  const mb = chunks.reduce((n, c) => n + c.length, 0) / 1e6;
  console.log(`${files.length} files, ${chunks.length} chunks, ${mb.toFixed(1)} M chars`);

  const subjects: Array<[string, BenchRedactor]> = [];
  const current = (await import('../src/core/safety/redact')) as unknown as RedactorModule;
  subjects.push(['this checkout', current.createRedactor({ salt: new Uint8Array(32).fill(7) })]);
  if (baselinePath) {
    const baseline = (await import(resolve(baselinePath))) as RedactorModule;
    subjects.push(['baseline', baseline.createRedactor()]);
  }

  // Replacements on ordinary docs: every one is a false positive unless the text holds an example key.
  for (const [name, redactor] of subjects) {
    const counts = new Map<string, number>();
    for (const chunk of chunks) for (const f of redactor.findings(chunk)) counts.set(f.category, (counts.get(f.category) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`);
    console.log(`${name}: ${total} replacements in the corpus (${parts.join(', ') || 'none'})`);
  }

  // Warm-up, then alternating rounds so both subjects see the same noise.
  for (const [, redactor] of subjects) timePass(redactor, chunks);
  const cpu = subjects.map(() => [] as number[]);
  const wall = subjects.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    subjects.forEach(([, redactor], i) => {
      const t = timePass(redactor, chunks);
      cpu[i]!.push(t.cpuMs);
      wall[i]!.push(t.wallMs);
    });
  }
  const rows = subjects.map(([name], i) => [
    name,
    fmt(Math.min(...cpu[i]!), 0),
    fmt(median(cpu[i]!), 0),
    fmt(mb / (median(cpu[i]!) / 1000), 1),
    fmt(mb / (median(wall[i]!) / 1000), 1),
  ]);
  console.log(table(['redactor', 'CPU ms min', 'CPU ms median', 'MB/s CPU', 'MB/s wall'], rows));
  if (subjects.length === 2) {
    const ratio = median(cpu[0]!) / median(cpu[1]!);
    console.log(`CPU time this checkout / baseline: ${ratio.toFixed(2)}x (median of ${rounds} rounds)`);
  }
  const out = argValue('--json');
  if (out) writeFileSync(out, `${JSON.stringify({ chunks: chunks.length, mchars: mb, rows }, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
