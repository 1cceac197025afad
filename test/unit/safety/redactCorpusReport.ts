/**
 * Runs the redactor over a folder of documents and prints findings per category with samples, to
 * judge false positives on real docs. Not a test (the corpus is not in the repository):
 *   npx tsx test/unit/safety/redactCorpusReport.ts [folder] [category]
 * Default folder: ../shared/data/aws-docs-qa/corpus. With a category, every sample of it is printed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RedactionCategory } from '../../../src/core/safety/redact';
import { createRedactor, REDACTION_CATEGORIES } from '../../../src/core/safety/redact';

const root = process.argv[2] ?? join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'aws-docs-qa', 'corpus');
const only = process.argv[3] as RedactionCategory | undefined;

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(md|txt|rst|adoc|html?)$/i.test(name)) yield path;
  }
}

const redactor = createRedactor();
const counts = new Map<RedactionCategory, number>();
const samples = new Map<RedactionCategory, string[]>();
let files = 0;
let chars = 0;
let ms = 0;
for (const path of walk(root)) {
  const text = readFileSync(path, 'utf8');
  files++;
  chars += text.length;
  const started = performance.now();
  const findings = redactor.findings(text);
  ms += performance.now() - started;
  for (const f of findings) {
    counts.set(f.category, (counts.get(f.category) ?? 0) + 1);
    const context = text.slice(Math.max(0, f.start - 40), Math.min(text.length, f.end + 15)).replace(/\s+/g, ' ');
    const list = samples.get(f.category) ?? [];
    list.push(`${relative(root, path)}:${f.line}:${f.column}  ${context.slice(0, 160)}`);
    samples.set(f.category, list);
  }
}
console.log(`${files} files, ${(chars / 1e6).toFixed(1)} M chars, ${ms.toFixed(0)} ms in findings()`);
for (const category of REDACTION_CATEGORIES) {
  if (only && category !== only) continue;
  const list = samples.get(category) ?? [];
  console.log(`\n${category}: ${counts.get(category) ?? 0}`);
  for (const line of only ? list : list.slice(0, 6)) console.log(`  ${line}`);
}
