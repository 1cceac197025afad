/**
 * `npm run bench:tokens`: how far the local token estimate (src/core/tokens.ts, used for chunk sizes
 * and context budgets) is from a real tokenizer, on the fixture docs' chunks and on the prompts the
 * product sends. Reference: Anthropic's public Claude tokenizer (the only one published; Claude 3+
 * and Titan differ from it, which is why the context budget keeps a 15 % margin). Prints a table.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { countTokens } from '@anthropic-ai/tokenizer';
import { chunkDocument } from '../src/core/ingest/chunkDocument';
import { formatSources, SYSTEM_PROMPT } from '../src/core/rag/prompt';
import { estimateTokens } from '../src/core/tokens';
import type { Chunk } from '../src/core/chunk';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name.startsWith('.') || name === 'bad' || name === 'ignored') return [];
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function stats(label: string, pairs: Array<[number, number]>): string {
  const ratios = pairs
    .filter(([, real]) => real > 0)
    .map(([est, real]) => est / real)
    .sort((a, b) => a - b);
  const q = (p: number) => ratios[Math.min(ratios.length - 1, Math.floor(p * ratios.length))]!;
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  const absErr = ratios.reduce((a, r) => a + Math.abs(r - 1), 0) / ratios.length;
  return `${label.padEnd(34)} ${String(ratios.length).padStart(5)}  mean ${mean.toFixed(3)}  |err| ${(absErr * 100).toFixed(1)}%  p5 ${q(0.05).toFixed(3)}  p95 ${q(0.95).toFixed(3)}`;
}

async function main(): Promise<void> {
  const root = join(__dirname, '..');
  const dirs = [
    join(root, 'test', 'fixtures', 'docs'),
    join(root, '..', 'shared', 'data', 'aws-docs-qa', 'corpus', 'aws-lambda-developer-guide'),
  ];
  console.log('estimate / Claude tokenizer (1.000 = exact)');
  for (const dir of dirs) {
    let list: string[];
    try {
      list = files(dir);
    } catch {
      console.log(`(skipped ${dir}: not found)`);
      continue;
    }
    const chunks: Chunk[] = [];
    for (const f of list) {
      try {
        chunks.push(...(await chunkDocument({ path: relative(dir, f), bytes: readFileSync(f) }, {})));
      } catch {
        // unreadable fixtures (bad/) are skipped
      }
    }
    const chunkPairs = chunks.map((c) => [estimateTokens(c.text), countTokens(c.text)] as [number, number]);
    const prompts: Array<[number, number]> = [];
    for (let i = 0; i + 8 <= chunks.length; i += 8) {
      const text = `${SYSTEM_PROMPT}\n${formatSources(chunks.slice(i, i + 8).map((chunk, n) => ({ n: n + 1, chunk })))}\nQuestion: how do I configure this?`;
      prompts.push([estimateTokens(text), countTokens(text)]);
    }
    console.log(`\n${relative(join(root, '..'), dir)}`);
    console.log(stats('chunks', chunkPairs));
    if (prompts.length) console.log(stats('prompts (system + 8 sources)', prompts));
  }
}

void main();
