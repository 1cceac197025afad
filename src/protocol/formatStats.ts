/**
 * The words under an answer (tokens, latency, cost, dropped context), shared by the webview footer
 * and the Markdown export so both say the same thing.
 */
import type { AnswerStats } from './conversation';

/** "1,234" */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds as "850 ms", "2.4 s" or "1 min 5 s". */
export function formatLatency(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** USD with enough digits to see small per-answer costs: "$0.0042", "$0.10", "$1.25"; null is "cost unknown". */
export function formatCost(usd: number | null): string {
  if (usd === null) return 'cost unknown';
  if (usd === 0) return '$0.00';
  if (usd < 0.0001) return '< $0.0001';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  // Four decimals show sub-cent answers; trailing zeros go, but keep cents ("$0.10").
  return `$${usd.toFixed(4).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

/**
 * The footer as separate parts: "1,200 in · 340 out tokens", "cache read 1,000" (only when
 * non-zero), "2.4 s", "$0.0042". Joined with " · " by the callers.
 */
export function formatStatsParts(stats: AnswerStats): string[] {
  const parts: string[] = [];
  const usage = stats.usage;
  if (usage) {
    parts.push(`${formatCount(usage.inputTokens)} in · ${formatCount(usage.outputTokens)} out tokens`);
    if (usage.cacheReadInputTokens > 0) parts.push(`cache read ${formatCount(usage.cacheReadInputTokens)}`);
    if (usage.cacheWriteInputTokens > 0) parts.push(`cache write ${formatCount(usage.cacheWriteInputTokens)}`);
  } else {
    parts.push('tokens unknown');
  }
  if (stats.latencyMs !== null) parts.push(formatLatency(stats.latencyMs));
  parts.push(formatCost(stats.costUsd));
  return parts;
}

/** "2 sources and 1 earlier turn left out to fit the context window", or undefined when nothing was. */
export function formatContextDropped(stats: AnswerStats): string | undefined {
  const dropped = stats.contextDropped;
  if (!dropped || (dropped.chunks === 0 && dropped.turns === 0)) return undefined;
  const what: string[] = [];
  if (dropped.chunks > 0) what.push(`${dropped.chunks} ${dropped.chunks === 1 ? 'source' : 'sources'}`);
  if (dropped.turns > 0) what.push(`${dropped.turns} earlier ${dropped.turns === 1 ? 'turn' : 'turns'}`);
  return `${what.join(' and ')} left out to fit the context window`;
}
