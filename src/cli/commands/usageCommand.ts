import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BedrockDocsError } from '../../core/errors';
import type { CallPurpose } from '../../core/ports';
import { totalTokens } from '../../core/usage/cost';
import type { UsageTotals } from '../../core/usage/usageSummary';
import { localDayKey, summarizeUsage } from '../../core/usage/usageSummary';
import { pricesLookup } from '../../node/usage/usagePricing';
import { cliUsagePath, UsageStore } from '../../node/usage/usageStore';
import { formatCost } from '../../protocol/formatStats';
import type { CliIo } from '../cliSession';
import { DEFAULT_CACHE_DIR } from '../cliSession';

/** `bedrock-docs usage` flags: the docs folder, its cache folder, JSON output. */
export interface UsageFlags {
  /** The folder whose `.bedrock-docs/usage.jsonl` is read; default '.'. */
  dir?: string;
  /** Cache folder (default `<dir>/.bedrock-docs`), as `--cache` of the other commands. */
  cache?: string;
  json?: boolean;
}

/** The four token counts, embeddings, calls and cost of a group of records, as printed with --json. */
export type UsageJsonTotals = Omit<UsageTotals, 'totalTokens' | 'cacheHitShare'>;

/** `usage --json`: totals, then per model (most expensive first) and per day (oldest first). */
export interface UsageJson extends UsageJsonTotals {
  /** The ledger read. */
  file: string;
  /** USD saved by prompt caching versus plain input prices. */
  cacheSavingsUsd: number;
  byModel: Array<{ modelId: string } & UsageJsonTotals>;
  /** Why the calls were made (question, index embedding, rerank...), each with its models. */
  byPurpose: Array<{ purpose: CallPurpose; byModel: Array<{ modelId: string } & UsageJsonTotals> } & UsageJsonTotals>;
  byDay: Array<{ day: string } & UsageJsonTotals>;
  /** Lines of the ledger that could not be read. */
  unreadableLines: number;
}

function jsonTotals(t: UsageTotals): UsageJsonTotals {
  const {
    requests,
    errors,
    inputTokens,
    outputTokens,
    cacheReadInputTokens,
    cacheWriteInputTokens,
    embeddingTokens,
    costUsd,
    costComplete,
  } = t;
  return {
    requests,
    errors,
    inputTokens,
    outputTokens,
    cacheReadInputTokens,
    cacheWriteInputTokens,
    embeddingTokens,
    costUsd,
    costComplete,
  };
}

const n = (v: number) => v.toLocaleString('en-US');
const cost = (t: UsageJsonTotals) => (t.costUsd === null ? 'unknown' : `${formatCost(t.costUsd)}${t.costComplete ? '' : '+'}`);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

const HEAD = ['Calls', 'Input', 'Output', 'Cache read', 'Cache write', 'Embedding', 'Cost'];
const cells = (t: UsageJsonTotals) => [
  n(t.requests),
  n(t.inputTokens),
  n(t.outputTokens),
  n(t.cacheReadInputTokens),
  n(t.cacheWriteInputTokens),
  n(t.embeddingTokens),
  cost(t),
];

/**
 * `bedrock-docs usage [--dir D] [--json]`: totals of the CLI's usage ledger
 * (`<dir>/.bedrock-docs/usage.jsonl`), by model and by day. Costs are estimates; an unknown price
 * makes a cost null ("unknown"), never 0. Exit 0, also when nothing was recorded yet.
 */
export async function usageCommand(flags: UsageFlags, io: CliIo): Promise<number> {
  const dir = resolve(flags.dir ?? '.');
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new BedrockDocsError(
      'BAD_INPUT',
      `${dir} is not a directory`,
      'Pass the folder you ran `bedrock-docs ask` or `index` in (--dir).',
    );
  const file = cliUsagePath(resolve(dir, flags.cache ?? DEFAULT_CACHE_DIR));
  const log = await new UsageStore(file).read();
  const unreadableLines = log.skippedLines + (log.tornTail ? 1 : 0);
  if (unreadableLines > 0) io.err(`${unreadableLines} unreadable line(s) in ${file} skipped\n`);
  const now = Date.now();
  const summary = summarizeUsage(log.records, { now, sessionStart: now, dayKey: localDayKey, pricesOf: pricesLookup() });
  const result: UsageJson = {
    file,
    ...jsonTotals(summary.total),
    cacheSavingsUsd: summary.cacheSavingsUsd,
    byModel: summary.byModel.map((m) => ({ modelId: m.modelId, ...jsonTotals(m) })),
    byPurpose: summary.byPurpose.map((p) => ({
      purpose: p.purpose,
      ...jsonTotals(p),
      byModel: p.byModel.map((m) => ({ modelId: m.modelId, ...jsonTotals(m) })),
    })),
    byDay: summary.byDay.map((d) => ({ day: d.day, ...jsonTotals(d) })),
    unreadableLines,
  };
  if (flags.json) {
    io.out(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  if (log.records.length === 0) {
    io.out(`No usage recorded yet in ${file}.\n`);
    return 0;
  }
  const tokens = log.records.reduce((s, r) => s + totalTokens(r) + r.embeddingTokens, 0);
  io.out(`Usage in ${file}: ${n(result.requests)} calls, ${n(tokens)} tokens, estimated cost ${cost(result)}\n\n`);
  io.out(table(['Model', ...HEAD], [...result.byModel.map((m) => [m.modelId, ...cells(m)]), ['Total', ...cells(result)]]));
  io.out('\n');
  io.out(
    table(
      ['Purpose', 'Model', ...HEAD],
      result.byPurpose.flatMap((p) => p.byModel.map((m, i) => [i === 0 ? p.purpose : '', m.modelId, ...cells(m)])),
    ),
  );
  io.out('\n');
  io.out(
    table(
      ['Day', ...HEAD],
      result.byDay.map((d) => [d.day, ...cells(d)]),
    ),
  );
  const notes: string[] = [];
  if (result.cacheSavingsUsd !== 0)
    notes.push(
      `Prompt caching ${result.cacheSavingsUsd > 0 ? `saved ${formatCost(result.cacheSavingsUsd)}` : `cost ${formatCost(-result.cacheSavingsUsd)} more (cache writes)`}.`,
    );
  if (!result.costComplete)
    notes.push('Some models have no known price ("unknown", "+" = at least): set bedrockDocs.models.*PricePer1k in .vscode/settings.json.');
  notes.push('Costs are estimates from list prices; your AWS bill is the reference.');
  io.out(`\n${notes.join('\n')}\n`);
  return 0;
}
