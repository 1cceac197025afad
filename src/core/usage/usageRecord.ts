/**
 * One usage record per model call (a question, an indexing batch, an eval or compare call), as the
 * ledger keeps it: when, what kind, which model, the four token counts, embedding tokens, latency,
 * the cost (null when unknown) and the error code of a failed call.
 */
import type { ModelInfo } from '../models/catalog';
import type { TokenUsage } from '../ports';
import { costOfEmbedding, costOfUsage, roundUsd } from './cost';

/** The kinds of call the ledger tells apart (questions, indexing, eval, compare). */
export const USAGE_KINDS = ['question', 'indexing', 'eval', 'compare'] as const;

/** Questions are the user's asks; indexing is embeddings; eval and compare are batch runs. */
export type UsageKind = (typeof USAGE_KINDS)[number];

/** One ledger line's worth: a finished (or failed) call and what it cost. */
export interface UsageRecord extends TokenUsage {
  /** Milliseconds since the epoch, when the call ended. */
  time: number;
  kind: UsageKind;
  /** The id as sent (profile id or ARN included). */
  modelId: string;
  /** Input tokens billed by an embedding model (Titan `inputTextTokenCount`). */
  embeddingTokens: number;
  /** Wall-clock ms of the call, as the caller measured it. */
  latencyMs: number;
  /** USD, or null when a price is unknown (never 0 for "unknown"). */
  costUsd: number | null;
  /** The BedrockDocsError code of a failed call; absent on success. */
  errorCode?: string;
  /** The local estimate of the prompt's tokens before the call, to reconcile with Bedrock's count. */
  estimatedInputTokens?: number;
}

/** What the caller knows after a call; the record's cost is computed from the model's prices. */
export interface UsageEvent {
  time: number;
  kind: UsageKind;
  model: Pick<ModelInfo, 'modelId' | 'prices'>;
  usage?: TokenUsage;
  embeddingTokens?: number;
  latencyMs: number;
  errorCode?: string;
  estimatedInputTokens?: number;
}

/** Builds a record, pricing chat tokens and embedding tokens with the model's prices (USD). */
export function makeUsageRecord(event: UsageEvent): UsageRecord {
  const usage = event.usage ?? { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
  const embeddingTokens = event.embeddingTokens ?? 0;
  const chatCost = costOfUsage(usage, event.model.prices);
  const embedCost = costOfEmbedding(embeddingTokens, event.model.prices);
  return {
    time: event.time,
    kind: event.kind,
    modelId: event.model.modelId,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens,
    cacheWriteInputTokens: usage.cacheWriteInputTokens,
    embeddingTokens,
    latencyMs: event.latencyMs,
    costUsd: chatCost === null || embedCost === null ? null : roundUsd(chatCost + embedCost),
    ...(event.errorCode ? { errorCode: event.errorCode } : {}),
    ...(event.estimatedInputTokens !== undefined ? { estimatedInputTokens: event.estimatedInputTokens } : {}),
  };
}
