/**
 * One grounded answer: retrieve, number the sources, stream the model's answer, map its [n]
 * citations back to files and lines, and account tokens and latency.
 */
import { BedrockDocsError, isCancellation } from '../errors';
import type { SearchHit, SearchMode } from '../index/hybridIndex';
import type { SearchFilter } from '../index/searchFilter';
import { topKFields } from '../models/modelFamily';
import type { CallOptions, ChatMessage, ChatModel, GuardrailConfig, InferenceConfig, Logger, TokenUsage } from '../ports';
import type { Citation } from './citations';
import { resolveCitations } from './citations';
import type { Source } from './prompt';
import { formatQuestion, formatSources, SYSTEM_PROMPT } from './prompt';

export interface Retriever {
  retrieve(query: string, options: CallOptions & { k: number; mode: SearchMode; filter?: SearchFilter; scoreThreshold?: number }): Promise<SearchHit[]>;
}

export interface AskRequest {
  question: string;
  /** What to search for when it differs from the question (a condensed follow-up). */
  retrievalQuery?: string;
  /** Earlier turns of the conversation, oldest first, as plain text messages. */
  history?: ChatMessage[];
  modelId: string;
  inference: InferenceConfig;
  /** Top-k sampling, sent only to model families that accept it. */
  samplingTopK?: number | null;
  retrieval: { k: number; mode: SearchMode; filter?: SearchFilter; scoreThreshold?: number };
  guardrail?: GuardrailConfig;
}

export interface AskDeps {
  retriever: Retriever;
  chat: ChatModel;
  logger: Logger;
  /** Applied to every text before it leaves the machine (local redaction). */
  outgoingText?: (text: string) => string;
  now?: () => number;
}

export type AskEvent = { type: 'sources'; sources: Source[] } | { type: 'delta'; text: string };

export interface AnswerResult {
  answer: string;
  sources: Source[];
  citations: Citation[];
  usage: TokenUsage;
  latencyMs: number;
  /** Time to the first streamed token, ms. */
  firstTokenMs?: number;
  stopReason: string;
  modelId: string;
  /** The stream broke before the end: `answer` is partial and `error` says why. */
  incomplete: boolean;
  error?: BedrockDocsError;
}

export const ZERO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

export const NO_SOURCES_ANSWER = 'I could not find anything about this in the indexed documentation. Try other words, widen the scope, or re-index if the docs changed.';

export async function ask(request: AskRequest, deps: AskDeps, options: CallOptions & { onEvent?: (e: AskEvent) => void } = {}): Promise<AnswerResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const outgoing = deps.outgoingText ?? ((t: string) => t);
  const hits = await deps.retriever.retrieve(request.retrievalQuery ?? request.question, { ...request.retrieval, signal: options.signal });
  const sources: Source[] = hits.map((hit, i) => ({ n: i + 1, chunk: hit.chunk }));
  options.onEvent?.({ type: 'sources', sources });
  if (sources.length === 0) {
    options.onEvent?.({ type: 'delta', text: NO_SOURCES_ANSWER });
    return { answer: NO_SOURCES_ANSWER, sources, citations: [], usage: { ...ZERO_USAGE }, latencyMs: now() - started, stopReason: 'no_sources', modelId: request.modelId, incomplete: false };
  }
  const userText = `${formatSources(sources, outgoing)}\n\n${formatQuestion(outgoing(request.question))}`;
  const messages: ChatMessage[] = [...(request.history ?? []), { role: 'user', content: [{ text: userText }] }];
  const additional = request.samplingTopK ? topKFields(request.modelId, request.samplingTopK) : undefined;
  if (request.samplingTopK && !additional) deps.logger.info(`top-k is not sent: ${request.modelId} takes no top-k field`);
  let answer = '';
  let usage: TokenUsage = { ...ZERO_USAGE };
  let stopReason = 'unknown';
  let firstTokenMs: number | undefined;
  let serverLatency: number | undefined;
  try {
    const stream = deps.chat.converseStream(
      {
        modelId: request.modelId,
        system: [{ text: SYSTEM_PROMPT }],
        messages,
        inferenceConfig: request.inference,
        ...(additional ? { additionalModelRequestFields: additional } : {}),
        ...(request.guardrail ? { guardrailConfig: request.guardrail } : {}),
      },
      { signal: options.signal },
    );
    for await (const event of stream) {
      if (event.type === 'textDelta') {
        firstTokenMs ??= now() - started;
        answer += event.text;
        options.onEvent?.({ type: 'delta', text: event.text });
      } else if (event.type === 'messageStop') {
        stopReason = event.stopReason;
      } else if (event.type === 'metadata') {
        usage = { ...event.usage };
        serverLatency = event.latencyMs;
      }
    }
  } catch (err) {
    if (isCancellation(err) || !(err instanceof BedrockDocsError) || err.code !== 'STREAM_INTERRUPTED' || answer === '') throw err;
    deps.logger.warn(`answer stream interrupted after ${answer.length} characters: ${err.message}`);
    return { answer, sources, citations: resolveCitations(answer, sources), usage, latencyMs: now() - started, firstTokenMs, stopReason: 'interrupted', modelId: request.modelId, incomplete: true, error: err };
  }
  const latencyMs = now() - started;
  deps.logger.debug(`answer: ${usage.inputTokens} in / ${usage.outputTokens} out tokens, ${latencyMs} ms (model ${serverLatency ?? '?'} ms)`);
  return { answer, sources, citations: resolveCitations(answer, sources), usage, latencyMs, firstTokenMs, stopReason, modelId: request.modelId, incomplete: false };
}
