/**
 * The usage status bar item's text, tooltip (Markdown) and screen-reader label, from usage totals.
 * No `vscode` import, so the wording is unit-tested in Node; usageStatusBar.ts puts it on screen.
 * Costs are estimates from the catalog; an unknown cost reads "$?" (never $0), a partly unknown
 * one "$0.02+".
 */
import type { BudgetStatus } from '../../core/usage/budget';
import type { UsageTotals } from '../../core/usage/usageSummary';
import { formatCost, formatCount, formatLatency } from '../../protocol/formatStats';

/** What the status bar shows. */
export interface UsageStatusModel {
  /** Status bar text with codicons, e.g. "$(graph) 12k/1.1k $0.021 · today 40k/3.1k $0.085 · 2.4 s". */
  text: string;
  /** Markdown (no HTML, no command links). */
  tooltip: string;
  /** The same facts in words, for screen readers. */
  accessibleLabel: string;
}

/** The figures the status bar is made from. */
export interface UsageStatusInput {
  session: UsageTotals;
  today: UsageTotals;
  /** Embedding calls of today (kind indexing). */
  todayIndexing: UsageTotals;
  /** This session's calls per model, most expensive first. */
  sessionByModel: ReadonlyArray<{ modelId: string } & UsageTotals>;
  /** USD prompt caching saved this session (negative when writes cost more than reads saved). */
  sessionCacheSavingsUsd: number;
  /** Requests running now (the spinner shows while > 0). */
  running: number;
  /** Ms of the last finished question, or null before the first. */
  lastLatencyMs: number | null;
  /** This month against the budget, or null without one. */
  budget: (BudgetStatus & { month: string }) | null;
  /** YYYY-MM-DD the prices were checked. */
  catalogDate: string;
}

const MAX_MODELS = 6;

/** Input-side tokens: uncached input plus cache reads and writes (what was sent). */
export function inputSideTokens(t: Pick<UsageTotals, 'inputTokens' | 'cacheReadInputTokens' | 'cacheWriteInputTokens'>): number {
  return t.inputTokens + t.cacheReadInputTokens + t.cacheWriteInputTokens;
}

/** Tokens in 3 significant characters or so: "850", "1.2k", "12k", "1.2M". */
export function formatTokensShort(n: number): string {
  const v = Math.max(0, Math.round(n));
  if (v < 1000) return String(v);
  const [div, unit] = v < 999_500 ? [1000, 'k'] : [1_000_000, 'M'];
  const x = v / div;
  // 9,999 is "10k", not "10.0k".
  const shown = x < 9.95 ? x.toFixed(1).replace(/\.0$/, '') : String(Math.round(x));
  return `${shown}${unit}`;
}

/** "$0.021", "$0.02+" (some costs unknown), "$?" (all unknown). */
export function formatCostShort(t: Pick<UsageTotals, 'costUsd' | 'costComplete'>): string {
  if (t.costUsd === null) return '$?';
  return `${formatCost(t.costUsd)}${t.costComplete ? '' : '+'}`;
}

function costWords(t: Pick<UsageTotals, 'costUsd' | 'costComplete'>): string {
  if (t.costUsd === null) return 'cost unknown';
  return t.costComplete ? `${formatCost(t.costUsd)} estimated` : `at least ${formatCost(t.costUsd)} (some costs unknown)`;
}

// Model ids go in code spans; a backtick or a line break would end one, and in a table cell a
// pipe ends the cell even inside a code span unless escaped (GFM tables).
const code = (value: string) => `\`${value.replace(/[`\r\n]/g, '').replace(/\|/g, '\\|')}\``;
const percent = (share: number) => `${Math.round(share * 100)} %`;

function tableRow(label: string, t: UsageTotals): string {
  return `| ${label} | ${formatCount(t.inputTokens)} | ${formatCount(t.cacheReadInputTokens)} | ${formatCount(t.cacheWriteInputTokens)} | ${formatCount(t.outputTokens)} | ${t.costUsd === null ? 'unknown' : formatCostShort(t)} |`;
}

/** The status bar item for the given figures. */
export function usageStatusModel(input: UsageStatusInput): UsageStatusModel {
  const { session, today } = input;
  const icon = input.running > 0 ? '$(loading~spin)' : '$(graph)';
  const latency = input.lastLatencyMs === null ? '' : ` · ${formatLatency(input.lastLatencyMs)}`;
  const text = `${icon} ${formatTokensShort(inputSideTokens(session))}/${formatTokensShort(session.outputTokens)} ${formatCostShort(session)} · today ${formatTokensShort(inputSideTokens(today))}/${formatTokensShort(today.outputTokens)} ${formatCostShort(today)}${latency}`;

  const lines: string[] = [`**Bedrock Docs usage**${input.running > 0 ? ' (a request is running)' : ''}`, ''];
  lines.push(
    '| | Input | Cache read | Cache write | Output | Cost |',
    '|:--|--:|--:|--:|--:|--:|',
    tableRow('Session', session),
    tableRow('Today', today),
    '',
  );
  if (input.todayIndexing.embeddingTokens > 0) {
    lines.push(
      `Indexing today: ${formatCount(input.todayIndexing.embeddingTokens)} embedding tokens, ${costWords(input.todayIndexing)}.`,
      '',
    );
  }
  if (input.sessionByModel.length > 0) {
    lines.push('| Model (this session) | Calls | Tokens | Cost |', '|:--|--:|--:|--:|');
    for (const m of input.sessionByModel.slice(0, MAX_MODELS)) {
      lines.push(
        `| ${code(m.modelId)} | ${m.requests} | ${formatCount(m.totalTokens)} | ${m.costUsd === null ? 'unknown' : formatCostShort(m)} |`,
      );
    }
    const more = input.sessionByModel.length - MAX_MODELS;
    if (more > 0) lines.push(`| and ${more} more | | | |`);
    lines.push('');
  }
  const cacheShare = session.cacheHitShare;
  if (cacheShare !== null && session.cacheReadInputTokens + session.cacheWriteInputTokens > 0) {
    const saved = input.sessionCacheSavingsUsd;
    const savedWords =
      saved >= 0 ? `saving ${formatCost(saved)}` : `costing ${formatCost(-saved)} more so far (cache writes; later reads pay it back)`;
    lines.push(`Prompt cache: ${percent(cacheShare)} of input read from the cache this session, ${savedWords}.`, '');
  }
  if (input.lastLatencyMs !== null) lines.push(`Last answer: ${formatLatency(input.lastLatencyMs)}.`, '');
  const unknown = input.sessionByModel.filter((m) => !m.costComplete).map((m) => code(m.modelId));
  if (unknown.length > 0)
    lines.push(`Cost unknown for ${unknown.join(', ')}: not in the price catalog; set the bedrockDocs.models.*PricePer1k settings.`, '');
  const b = input.budget;
  if (b && b.budgetUsd !== null) {
    const mark = b.level === 'exceeded' ? '$(error) ' : b.level === 'warn' ? '$(warning) ' : '';
    lines.push(
      `${mark}Budget: ${formatCost(b.spentUsd)}${b.spentIncomplete ? '+' : ''} of ${formatCost(b.budgetUsd)} spent in ${b.month} (${percent(b.share ?? 0)}).`,
      '',
    );
  }
  lines.push(`Estimated from list prices checked ${input.catalogDate}. Click for the usage report.`);

  const words = (label: string, t: UsageTotals) =>
    `${label} ${formatCount(inputSideTokens(t))} input and ${formatCount(t.outputTokens)} output tokens, ${costWords(t)}`;
  const accessibleLabel = [
    `Bedrock Docs usage${input.running > 0 ? ', request running' : ''}`,
    words('session', session),
    words('today', today),
    ...(input.lastLatencyMs === null ? [] : [`last answer took ${formatLatency(input.lastLatencyMs)}`]),
  ].join('; ');
  return { text, tooltip: lines.join('\n'), accessibleLabel };
}
