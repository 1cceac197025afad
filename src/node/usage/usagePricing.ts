/**
 * Prices usage with the model catalog plus the `bedrockDocs.models.*` overrides
 * (`modelOverridesFromSettings` in core/rag/askRequest.ts), so the extension and the CLI turn a
 * finished call into the same UsageRecord. Pure (no I/O); it sits beside the usage store that
 * both edges use.
 */
import type { ModelOverrides, PriceTable } from '../../core/models/catalog';
import { lookupModel } from '../../core/models/catalog';
import type { TokenUsage } from '../../core/ports';
import { estimateCallCostUsd } from '../../core/usage/cost';
import type { UsageKind, UsageRecord } from '../../core/usage/usageRecord';
import { makeUsageRecord } from '../../core/usage/usageRecord';

/** What the caller knows after one call: which model, the tokens Bedrock reported, how long (ms). */
export interface UsageCall {
  kind: UsageKind;
  /** The id as sent (profile id or ARN included). */
  modelId: string;
  usage?: TokenUsage;
  /** Tokens billed by an embedding model. */
  embeddingTokens?: number;
  /** Wall-clock ms of the call. */
  latencyMs: number;
  /** BedrockDocsError code of a failed call. */
  errorCode?: string;
  /** Local estimate of the prompt's tokens before the call. */
  estimatedInputTokens?: number;
  /** When the call ended, ms since the epoch; default now. */
  time?: number;
}

/** A priced record for one call: catalog prices, else the override prices, else cost null. */
export function priceUsageCall(call: UsageCall, overrides?: ModelOverrides, now: () => number = Date.now): UsageRecord {
  return makeUsageRecord({
    time: call.time ?? now(),
    kind: call.kind,
    model: lookupModel(call.modelId, overrides),
    ...(call.usage ? { usage: call.usage } : {}),
    ...(call.embeddingTokens !== undefined ? { embeddingTokens: call.embeddingTokens } : {}),
    latencyMs: call.latencyMs,
    ...(call.errorCode ? { errorCode: call.errorCode } : {}),
    ...(call.estimatedInputTokens !== undefined ? { estimatedInputTokens: call.estimatedInputTokens } : {}),
  });
}

/** Prices per model id for cache savings in summaries (null: unknown). */
export function pricesLookup(overrides?: ModelOverrides): (modelId: string) => PriceTable | null {
  const cache = new Map<string, PriceTable | null>();
  return (modelId) => {
    if (!cache.has(modelId)) cache.set(modelId, lookupModel(modelId, overrides).prices);
    return cache.get(modelId) ?? null;
  };
}

/**
 * Upper-bound USD of a call not made yet (input tokens at the input price, `maxOutputTokens` at the
 * output price), or null when the model's prices are unknown.
 */
export function estimateRequestUsd(
  modelId: string,
  tokens: { inputTokens: number; maxOutputTokens: number },
  overrides?: ModelOverrides,
): number | null {
  return estimateCallCostUsd(lookupModel(modelId, overrides).prices, {
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.maxOutputTokens,
  });
}
