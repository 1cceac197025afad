/**
 * Cost in USD from Bedrock's usage counts. The four counts are separate (uncached input, output,
 * cache read, cache write) and each has its own price; a count above zero whose price is unknown
 * makes the whole cost unknown (null), never 0.
 */
import type { PriceTable } from '../models/catalog';
import type { TokenUsage } from '../ports';

/** USD is kept to 1e-10: far below a cent, and it keeps sums of decimal prices exact in tests. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/** All tokens Bedrock counted for a call: the four counts are disjoint, so they add up. */
export function totalTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens;
}

/** The four counts of two calls added up (e.g. a condensing call and the answer). */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheWriteInputTokens: a.cacheWriteInputTokens + b.cacheWriteInputTokens,
  };
}

function part(tokens: number, per1k: number | undefined): number | null {
  if (tokens === 0) return 0;
  return per1k === undefined ? null : (tokens * per1k) / 1000;
}

function sum(parts: Array<number | null>): number | null {
  let total = 0;
  for (const p of parts) {
    if (p === null) return null;
    total += p;
  }
  return roundUsd(total);
}

/** USD for one chat call, or null when a needed price is unknown (or there are no prices). */
export function costOfUsage(usage: TokenUsage, prices: PriceTable | null | undefined): number | null {
  if (!prices) return totalTokens(usage) === 0 ? 0 : null;
  return sum([
    part(usage.inputTokens, prices.inputPer1k),
    part(usage.outputTokens, prices.outputPer1k),
    part(usage.cacheReadInputTokens, prices.cacheReadPer1k),
    part(usage.cacheWriteInputTokens, prices.cacheWritePer1k),
  ]);
}

/**
 * USD the same call would have cost without prompt caching: cache reads and writes priced as plain
 * input. Null when a needed price is unknown.
 */
export function uncachedCostOfUsage(usage: TokenUsage, prices: PriceTable | null | undefined): number | null {
  const input = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens;
  return costOfUsage({ inputTokens: input, outputTokens: usage.outputTokens, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 }, prices);
}

/**
 * USD prompt caching saved on one call (uncached cost minus actual cost). Negative on a call that
 * only wrote to the cache: writes cost more than plain input. Null when a price is unknown.
 */
export function cacheSavingsUsd(usage: TokenUsage, prices: PriceTable | null | undefined): number | null {
  const actual = costOfUsage(usage, prices);
  const uncached = uncachedCostOfUsage(usage, prices);
  return actual === null || uncached === null ? null : roundUsd(uncached - actual);
}

/** USD for embedding `tokens` input tokens, or null when the price is unknown. */
export function costOfEmbedding(tokens: number, prices: PriceTable | null | undefined): number | null {
  return sum([part(tokens, prices?.inputPer1k)]);
}

/**
 * An upper-bound USD estimate for a call not made yet: `inputTokens` at the input price and
 * `outputTokens` (pass the request's maxTokens for a true bound) at the output price.
 */
export function estimateCallCostUsd(
  prices: PriceTable | null | undefined,
  tokens: { inputTokens: number; outputTokens: number },
): number | null {
  return costOfUsage(
    { inputTokens: tokens.inputTokens, outputTokens: tokens.outputTokens, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    prices,
  );
}
