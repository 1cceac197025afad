/**
 * The Bedrock ports with the CallMeter in front: the only ports the rest of the product is given
 * (src/node/bedrockPorts.ts builds the raw adapters and hands out nothing but these). Each call's
 * outgoing text is redacted, the budget admits it, and one usage record follows it, success,
 * failure or cancel, with the purpose the caller had to name.
 */
import { throwIfAborted } from '../index/slices';
import { GUARDRAIL_UNIT_PRICES_PER_1K } from '../models/catalogData';
import type {
  ChatModel,
  ChatRequest,
  ChatStreamEvent,
  EmbedPurpose,
  EmbedResult,
  Embedder,
  GuardrailChecker,
  GuardrailContent,
  GuardrailConfig,
  GuardrailResponse,
  MeteredCallOptions,
  TokenUsage,
} from '../ports';
import type { Retriever } from '../rag/ask';
import type { Reranker, RerankResult } from '../retrieval/rerank';
import { estimateTokens } from '../tokens';
import { estimateCallCostUsd, roundUsd } from '../usage/cost';
import type { UsageRecord } from '../usage/usageRecord';
import type { CallMeter, FinishedCall } from './callMeter';
import { errorCodeOf } from './callMeter';
import { estimateRequestTokens, redactChatRequest } from './outgoingRequest';

const ZERO: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

function tallied(record: UsageRecord, options: { tally?: MeteredCallOptions['tally'] }): void {
  options.tally?.add({
    purpose: record.purpose,
    modelId: record.modelId,
    usage: {
      inputTokens: record.inputTokens,
      outputTokens: record.outputTokens,
      cacheReadInputTokens: record.cacheReadInputTokens,
      cacheWriteInputTokens: record.cacheWriteInputTokens,
    },
    embeddingTokens: record.embeddingTokens,
    costUsd: record.costUsd,
  });
}

/** Runs one non-streamed call between admit and finish. */
async function metered<T>(
  meter: CallMeter,
  options: MeteredCallOptions,
  call: { modelId: string; estimateUsd: number | null },
  run: () => Promise<T>,
  outcome: (result: T) => Omit<FinishedCall, 'purpose' | 'modelId' | 'latencyMs'>,
): Promise<T> {
  await meter.admit(options.purpose, call.modelId, call.estimateUsd);
  throwIfAborted(options.signal);
  const started = Date.now();
  meter.started(options.purpose);
  let result: T;
  try {
    result = await run();
  } catch (err) {
    tallied(
      meter.finish({ purpose: options.purpose, modelId: call.modelId, latencyMs: Date.now() - started, errorCode: errorCodeOf(err) }),
      options,
    );
    throw err;
  }
  tallied(meter.finish({ purpose: options.purpose, modelId: call.modelId, latencyMs: Date.now() - started, ...outcome(result) }), options);
  return result;
}

/** Converse / ConverseStream behind the meter. */
export function meterChatModel(inner: ChatModel, meter: CallMeter): ChatModel {
  return {
    async *converseStream(request: ChatRequest, options: MeteredCallOptions): AsyncIterable<ChatStreamEvent> {
      await meter.ready();
      const sent = redactChatRequest(request, (t) => meter.redact(t));
      const model = meter.model(request.modelId);
      const inputEstimate = estimateRequestTokens(sent);
      const outputBound = request.inferenceConfig?.maxTokens ?? model.maxOutputTokens;
      await meter.admit(
        options.purpose,
        request.modelId,
        estimateCallCostUsd(model.prices, { inputTokens: inputEstimate, outputTokens: outputBound }),
      );
      throwIfAborted(options.signal);
      const started = Date.now();
      meter.started(options.purpose);
      let usage: TokenUsage | undefined;
      let received = false;
      let streamed = '';
      let error: unknown;
      try {
        for await (const event of inner.converseStream(sent, options)) {
          received = true;
          if (event.type === 'metadata') usage = event.usage;
          else if (event.type === 'textDelta') streamed += event.text;
          else if (event.type === 'toolUse') streamed += JSON.stringify(event.input ?? null);
          yield event;
        }
      } catch (err) {
        error = err;
        throw err;
      } finally {
        // A stream cut or stopped after the model started has billed its input: estimate what
        // Bedrock did not report. A call refused before any byte came back billed nothing.
        const estimated = !usage && received;
        const finalUsage = usage ?? (received ? { ...ZERO, inputTokens: inputEstimate, outputTokens: estimateTokens(streamed) } : ZERO);
        const record = meter.finish({
          purpose: options.purpose,
          modelId: request.modelId,
          usage: finalUsage,
          latencyMs: Date.now() - started,
          estimatedInputTokens: inputEstimate,
          ...(estimated ? { estimated: true } : {}),
          ...(error !== undefined ? { errorCode: errorCodeOf(error) } : !usage && received ? { errorCode: 'CANCELLED' } : {}),
        });
        tallied(record, options);
      }
    },
  };
}

/** Embeddings behind the meter (index and query embeddings alike). */
export function meterEmbedder(inner: Embedder, meter: CallMeter): Embedder {
  return {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    maxBatch: inner.maxBatch,
    async embed(texts: string[], kind: EmbedPurpose, options: MeteredCallOptions): Promise<EmbedResult> {
      await meter.ready();
      const sent = texts.map((t) => meter.redact(t));
      const tokens = sent.reduce((n, t) => n + estimateTokens(t), 0);
      const estimateUsd = estimateCallCostUsd(meter.model(inner.modelId).prices, { inputTokens: tokens, outputTokens: 0 });
      return metered(
        meter,
        options,
        { modelId: inner.modelId, estimateUsd },
        () => inner.embed(sent, kind, options),
        (r) => ({ embeddingTokens: r.inputTokens }),
      );
    },
  };
}

/** Documents one rerank query covers; more count as more queries (Bedrock's pricing). */
export const RERANK_DOCUMENTS_PER_QUERY = 100;

/** USD of one Rerank call over `documents` documents, or null when the model's price is unknown. */
export function rerankCostUsd(queryPer1k: number | undefined, documents: number): number | null {
  if (queryPer1k === undefined) return null;
  return roundUsd((Math.max(1, Math.ceil(documents / RERANK_DOCUMENTS_PER_QUERY)) * queryPer1k) / 1000);
}

/** Rerank behind the meter, priced per query. */
export function meterReranker(inner: Reranker, meter: CallMeter): Reranker {
  return {
    modelId: inner.modelId,
    maxDocuments: inner.maxDocuments,
    async rerank(query: string, documents: string[], options: MeteredCallOptions & { topN: number }): Promise<RerankResult[]> {
      await meter.ready();
      const cost = rerankCostUsd(meter.model(inner.modelId).prices?.queryPer1k, documents.length);
      return metered(
        meter,
        options,
        { modelId: inner.modelId, estimateUsd: cost },
        () =>
          inner.rerank(
            meter.redact(query),
            documents.map((d) => meter.redact(d)),
            options,
          ),
        () => ({ costUsd: cost }),
      );
    },
  };
}

/**
 * A Bedrock Knowledge Base behind the meter. Its Retrieve calls are recorded (purpose
 * `knowledgeBase`); their cost is unknown here (the Knowledge Base's own embedding model and vector
 * store bill it), so it stays null rather than a made-up $0.
 */
export function meterKnowledgeBase(inner: Retriever, knowledgeBaseId: string, meter: CallMeter): Retriever {
  const modelId = `knowledge-base/${knowledgeBaseId}`;
  return {
    async retrieve(query, options) {
      await meter.ready();
      return metered(
        meter,
        { ...options, purpose: 'knowledgeBase' },
        { modelId, estimateUsd: null },
        () => inner.retrieve(meter.redact(query), options),
        () => ({ costUsd: null }),
      );
    },
  };
}

/** USD of an ApplyGuardrail call from the text units Bedrock reports per policy; null if none reported. */
export function guardrailCostUsd(usage: Record<string, number> | undefined): number | null {
  if (!usage) return null;
  let usd = 0;
  for (const [kind, units] of Object.entries(usage)) {
    const price = GUARDRAIL_UNIT_PRICES_PER_1K[kind];
    if (typeof units !== 'number' || units <= 0) continue;
    if (price === undefined) return null;
    usd += (units * price) / 1000;
  }
  return roundUsd(usd);
}

/** ApplyGuardrail behind the meter, priced per text unit and policy. */
export function meterGuardrail(inner: GuardrailChecker, meter: CallMeter): GuardrailChecker {
  return {
    async apply(
      input: { guardrail: GuardrailConfig; source: 'INPUT' | 'OUTPUT'; content: GuardrailContent[] },
      options: MeteredCallOptions,
    ): Promise<GuardrailResponse> {
      await meter.ready();
      const modelId = `guardrail/${input.guardrail.guardrailIdentifier}:${input.guardrail.guardrailVersion}`;
      const sent = { ...input, content: input.content.map((c) => ({ ...c, text: meter.redact(c.text) })) };
      return metered(
        meter,
        options,
        { modelId, estimateUsd: null },
        () => inner.apply(sent, options),
        (r) => ({ costUsd: guardrailCostUsd(r.usage) }),
      );
    },
  };
}
