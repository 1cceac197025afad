/**
 * Context budgeting: choose what goes into a prompt so it fits the model's window minus the answer's
 * max tokens, with a safety margin for the local token estimate's error. Priority: the system prompt
 * and the question (always), then the best sources by score, then as many of the most recent
 * history turns as fit. The report's names are the CLI's `contextBudget` JSON. A helper measures
 * the estimate's error against the input tokens Bedrock reports.
 */
import { BedrockDocsError } from '../errors';
import type { ChatMessage, ContentBlock, TokenUsage } from '../ports';
import { estimateTokens } from '../tokens';
import { percentile } from '../usage/usageSummary';

/** What the answer's details and `ask --json` show as `contextBudget`. */
export interface ContextBudgetReport {
  /** The model's context window, tokens. */
  windowTokens: number;
  /** Estimated prompt tokens sent (system, tools, sources, history, question). */
  usedTokens: number;
  droppedChunks: number;
  /** Whole earlier turns (a question and its answer) left out. */
  droppedTurns: number;
}

/** A retrieved source as it will appear in the prompt. */
export interface BudgetSource<T> {
  item: T;
  score: number;
  /** The source's text exactly as formatted into the prompt. */
  text: string;
}

/** The window, the answer's reserve and the candidates; `estimate` counts tokens (default estimateTokens). */
export interface ContextBudgetInput<T> {
  /** Tokens. */
  windowTokens: number;
  /** The request's maxTokens: reserved for the answer. */
  maxOutputTokens: number;
  system: string;
  /** The question block as sent. */
  question: string;
  sources: readonly BudgetSource<T>[];
  /** Earlier turns, oldest first. */
  history?: readonly ChatMessage[];
  /** Estimated tokens of tool definitions, when tools are sent. */
  toolsTokens?: number;
  /** Fraction of the input budget held back for estimate error (default DEFAULT_SAFETY_MARGIN). */
  safetyMargin?: number;
  estimate?: (text: string) => number;
}

/** What to send, and the report of what was left out. */
export interface ContextPlan<T> {
  /** Kept sources, in their input (rank) order. */
  sources: T[];
  /** Kept history: the most recent whole turns, oldest first. */
  history: ChatMessage[];
  report: ContextBudgetReport;
  /** Input tokens the plan may use (window minus output, minus the margin). */
  budgetTokens: number;
  /** False when the system prompt and question alone exceed the budget: do not send. */
  fits: boolean;
}

/**
 * The local estimate was within 0.84-1.14 of Anthropic's public tokenizer (see tokens.ts) and newer
 * Claude models count more tokens than it: 15 % covers the worst case seen.
 */
export const DEFAULT_SAFETY_MARGIN = 0.15;

/**
 * Tokens no text shows: role markers and framing per message and per request, the `<sources>`
 * wrapper around the block, and the newline between sources.
 */
export const PROMPT_OVERHEAD = { request: 8, message: 4, sourcesWrapper: 6, perSource: 1 } as const;
const { request: REQUEST_OVERHEAD, message: MESSAGE_OVERHEAD, sourcesWrapper: SOURCES_WRAPPER, perSource: PER_SOURCE } = PROMPT_OVERHEAD;

function blockText(block: ContentBlock): string {
  if ('text' in block) return block.text;
  if ('toolUse' in block) return JSON.stringify(block.toolUse.input) + block.toolUse.name;
  if ('toolResult' in block) return JSON.stringify(block.toolResult.content);
  return '';
}

/** Estimated tokens of one message, framing included. */
export function messageTokens(message: ChatMessage, estimate: (text: string) => number = estimateTokens): number {
  return MESSAGE_OVERHEAD + message.content.reduce((n, b) => n + estimate(blockText(b)), 0);
}

// A turn starts at each user message that asks something (not one that only returns tool results).
function splitTurns(history: readonly ChatMessage[]): ChatMessage[][] {
  const turns: ChatMessage[][] = [];
  for (const m of history) {
    const startsTurn = m.role === 'user' && m.content.some((b) => 'text' in b);
    if (startsTurn || turns.length === 0) turns.push([m]);
    else turns[turns.length - 1]!.push(m);
  }
  return turns;
}

/** Chooses the sources and history that fit; see the module comment for the order. */
export function planContext<T>(input: ContextBudgetInput<T>): ContextPlan<T> {
  const estimate = input.estimate ?? estimateTokens;
  const margin = Math.min(Math.max(input.safetyMargin ?? DEFAULT_SAFETY_MARGIN, 0), 0.9);
  const budgetTokens = Math.max(0, Math.floor((input.windowTokens - input.maxOutputTokens) * (1 - margin)));
  const required = REQUEST_OVERHEAD + (input.toolsTokens ?? 0) + estimate(input.system) + MESSAGE_OVERHEAD + estimate(input.question);
  const turns = splitTurns(input.history ?? []);
  const report = (used: number, keptSources: number, keptTurns: number): ContextBudgetReport => ({
    windowTokens: input.windowTokens,
    usedTokens: used,
    droppedChunks: input.sources.length - keptSources,
    droppedTurns: turns.length - keptTurns,
  });
  if (required > budgetTokens) return { sources: [], history: [], report: report(required, 0, 0), budgetTokens, fits: false };

  let used = required;
  const keep = new Set<number>();
  const byScore = input.sources.map((s, i) => ({ i, score: s.score })).sort((a, b) => b.score - a.score || a.i - b.i);
  for (const { i } of byScore) {
    const cost = estimate(input.sources[i]!.text) + PER_SOURCE + (keep.size === 0 ? SOURCES_WRAPPER : 0);
    // A source too big for what is left is skipped; smaller, lower-ranked ones may still fit.
    if (used + cost <= budgetTokens) {
      keep.add(i);
      used += cost;
    }
  }
  const keptTurns: ChatMessage[][] = [];
  for (let t = turns.length - 1; t >= 0; t--) {
    const cost = turns[t]!.reduce((n, m) => n + messageTokens(m, estimate), 0);
    // History stays contiguous: once a turn does not fit, older ones are dropped too.
    if (used + cost > budgetTokens) break;
    keptTurns.unshift(turns[t]!);
    used += cost;
  }
  return {
    sources: input.sources.filter((_, i) => keep.has(i)).map((s) => s.item),
    history: keptTurns.flat(),
    report: report(used, keep.size, keptTurns.length),
    budgetTokens,
    fits: true,
  };
}

/** The error to throw when a plan does not fit: the question or system prompt alone is too long. */
export function contextTooLongError(plan: Pick<ContextPlan<unknown>, 'report' | 'budgetTokens'>): BedrockDocsError {
  return new BedrockDocsError(
    'CONTEXT_TOO_LONG',
    `The question needs about ${plan.report.usedTokens} tokens, more than the ${plan.budgetTokens} this model's ${plan.report.windowTokens}-token window leaves after the answer.`,
    'Shorten the question, lower bedrockDocs.chat.maxTokens, or choose a model with a larger context window.',
  );
}

// ---- Reconciling the estimate with what Bedrock counted ------------------------------------

/** Prompt tokens Bedrock counted: uncached input plus cache reads and writes. */
export function promptTokensOf(usage: TokenUsage): number {
  return usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens;
}

/** The local estimate against Bedrock's prompt-token counts, over many calls. */
export interface EstimateErrorStats {
  count: number;
  /** estimated / actual (to 6 decimals): below 1 means the estimate was short. */
  meanRatio: number | null;
  p05Ratio: number | null;
  p95Ratio: number | null;
  /** The smallest margin (fraction) that would have covered 95 % of the samples' shortfall. */
  suggestedMargin: number | null;
}

/** How far the local estimate was from Bedrock's counts over a set of calls. */
export function estimateErrorStats(samples: ReadonlyArray<{ estimatedTokens: number; usage: TokenUsage }>): EstimateErrorStats {
  const ratios = samples.filter((s) => promptTokensOf(s.usage) > 0).map((s) => s.estimatedTokens / promptTokensOf(s.usage));
  if (ratios.length === 0) return { count: 0, meanRatio: null, p05Ratio: null, p95Ratio: null, suggestedMargin: null };
  const p05 = percentile(ratios, 5)!;
  return {
    count: ratios.length,
    meanRatio: Math.round((ratios.reduce((a, b) => a + b, 0) / ratios.length) * 1e6) / 1e6,
    p05Ratio: p05,
    p95Ratio: percentile(ratios, 95),
    // An estimate short by ratio r needs 1 - r of the budget held back; rounded up to a percent
    // (after trimming float noise, so 1 - 0.7 is 30 %, not 31 %).
    suggestedMargin: Math.ceil(Math.round(Math.max(0, 1 - p05) * 1e8) / 1e6) / 100,
  };
}
