/**
 * One usage record per Bedrock call (or per run of like calls: an index run's embedding calls are
 * summed into a few lines, each saying how many calls it stands for), as the ledger keeps it: when,
 * why (the purpose), which model, how many calls, the four token counts, embedding tokens, latency,
 * the cost (null when unknown) and the error code of a failed call.
 */
import type { ModelInfo } from '../models/catalog';
import type { CallPurpose, TokenUsage } from '../ports';
import { costOfEmbedding, costOfUsage, roundUsd } from './cost';

/** The kinds of call the ledger tells apart (questions, indexing, eval, compare). */
export const USAGE_KINDS = ['question', 'indexing', 'eval', 'compare'] as const;

/** Questions are the user's asks; indexing is embeddings; eval and compare are batch runs. */
export type UsageKind = (typeof USAGE_KINDS)[number];

/** The coarse kind a purpose falls under (the status bar and the report's first breakdown). */
export function kindOfPurpose(purpose: CallPurpose): UsageKind {
  switch (purpose) {
    case 'indexEmbedding':
    case 'contextualBlurb':
      return 'indexing';
    case 'compare':
      return 'compare';
    case 'evalAnswer':
      return 'eval';
    default:
      return 'question';
  }
}

/** The purpose an old ledger line (written before purposes existed) most likely had. */
export function purposeOfKind(kind: UsageKind): CallPurpose {
  return kind === 'indexing' ? 'indexEmbedding' : kind === 'eval' ? 'evalAnswer' : kind === 'compare' ? 'compare' : 'question';
}

/** One ledger line's worth: a finished (or failed) call and what it cost. */
export interface UsageRecord extends TokenUsage {
  /** Milliseconds since the epoch, when the call ended. */
  time: number;
  kind: UsageKind;
  /** Why the call was made. */
  purpose: CallPurpose;
  /** Calls this record stands for (1, or more for a summed run of like calls). */
  requests: number;
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
  /** Bedrock reported no usage (a stream cut or stopped): the tokens are the local estimate. */
  estimated?: boolean;
}

/** What the caller knows after a call; the record's cost is computed from the model's prices. */
export interface UsageEvent {
  time: number;
  /** Default: the purpose's kind. */
  kind?: UsageKind;
  /** Default: the kind's likeliest purpose. */
  purpose?: CallPurpose;
  /** Default 1. */
  requests?: number;
  /** A price computed by the caller (rerank: per query); default from the model's token prices. */
  costUsd?: number | null;
  estimated?: boolean;
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
  const purpose = event.purpose ?? purposeOfKind(event.kind ?? 'question');
  const tokenCost = chatCost === null || embedCost === null ? null : roundUsd(chatCost + embedCost);
  return {
    time: event.time,
    kind: event.kind ?? kindOfPurpose(purpose),
    purpose,
    requests: event.requests ?? 1,
    modelId: event.model.modelId,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens,
    cacheWriteInputTokens: usage.cacheWriteInputTokens,
    embeddingTokens,
    latencyMs: event.latencyMs,
    costUsd: event.costUsd !== undefined ? event.costUsd : tokenCost,
    ...(event.errorCode ? { errorCode: event.errorCode } : {}),
    ...(event.estimatedInputTokens !== undefined ? { estimatedInputTokens: event.estimatedInputTokens } : {}),
    ...(event.estimated ? { estimated: true } : {}),
  };
}
