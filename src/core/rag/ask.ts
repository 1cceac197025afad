/**
 * One grounded answer: retrieve, fit the sources and history to the model's window, redact what
 * leaves the machine, lay the prompt out with cache points, stream the answer, map its [n]
 * citations back to files and lines, and account tokens, cost and latency.
 */
import type { BedrockDocsError } from '../errors';
import type { SearchHit, SearchMode } from '../index/hybridIndex';
import type { SearchFilter } from '../index/searchFilter';
import type { ModelInfo, ModelOverrides } from '../models/catalog';
import { effectiveMaxTokens, lookupModel, topKFieldsFor, unknownModelNotice } from '../models/catalog';
import type { CallOptions, ChatMessage, ChatModel, GuardrailConfig, InferenceConfig, Logger, TokenUsage } from '../ports';
import type { GuardrailSummary } from '../safety/guardrailTrace';
import { summarizeGuardrailTrace } from '../safety/guardrailTrace';
import { buildPrompt } from './buildPrompt';
import type { Citation } from './citations';
import { resolveCitations } from './citations';
import type { ContextBudgetReport } from './contextBudget';
import { contextTooLongError } from './contextBudget';
import type { Source } from './prompt';
import { SYSTEM_PROMPT } from './prompt';
import { streamAnswer } from './streamAnswer';

export interface Retriever {
  retrieve(
    query: string,
    options: CallOptions & { k: number; mode: SearchMode; filter?: SearchFilter; scoreThreshold?: number },
  ): Promise<SearchHit[]>;
}

export interface AskRequest {
  question: string;
  /** What to search for when it differs from the question (a condensed follow-up). */
  retrievalQuery?: string;
  /** Earlier turns of the conversation, oldest first, as plain text messages. */
  history?: ChatMessage[];
  modelId: string;
  /** Window and prices for model ids the catalog does not know (settings `models.*`). */
  modelOverrides?: ModelOverrides;
  inference: InferenceConfig;
  /** Top-k sampling, sent only to model families that accept it. */
  samplingTopK?: number | null;
  retrieval: { k: number; mode: SearchMode; filter?: SearchFilter; scoreThreshold?: number };
  /** Converse cache points after the stable prefix (default true). */
  promptCaching?: boolean;
  guardrail?: GuardrailConfig;
  /** The system prompt (default SYSTEM_PROMPT). */
  system?: string;
}

export interface AskDeps {
  retriever: Retriever;
  chat: ChatModel;
  logger: Logger;
  now?: () => number;
}

export type AskEvent = { type: 'sources'; sources: Source[] } | { type: 'delta'; text: string };

export interface AnswerResult {
  answer: string;
  sources: Source[];
  citations: Citation[];
  usage: TokenUsage;
  /** USD from the catalog's prices; null when a price is unknown (never a made-up 0). */
  costUsd: number | null;
  contextBudget: ContextBudgetReport;
  latencyMs: number;
  /** Time to the first streamed token, ms. */
  firstTokenMs?: number;
  stopReason: string;
  modelId: string;
  /** The model as resolved against the catalog (window, prices, known or not). */
  model: ModelInfo;
  /** Set when a Bedrock guardrail intervened: `answer` is then the guardrail's message, not the model's. */
  guardrail?: GuardrailSummary;
  /** The stream broke before the end: `answer` is partial and `error` says why. */
  incomplete: boolean;
  error?: BedrockDocsError;
}

export const ZERO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

export const NO_SOURCES_ANSWER =
  'I could not find anything about this in the indexed documentation. Try other words, widen the scope, or re-index if the docs changed.';

const noticed = new Set<string>();

/** Converse fields for the model: temperature only where accepted, top-k in the family's field. */
function requestFields(
  request: AskRequest,
  model: ModelInfo,
  deps: AskDeps,
): { inference: InferenceConfig; additional?: Record<string, unknown> } {
  const inference: InferenceConfig = {
    ...request.inference,
    maxTokens: effectiveMaxTokens(model, request.inference.maxTokens ?? model.maxOutputTokens),
  };
  if (!model.temperature) {
    delete inference.temperature;
    delete inference.topP;
  }
  const additional = request.samplingTopK && model.temperature ? topKFieldsFor(model, request.samplingTopK) : undefined;
  if (request.samplingTopK && !additional) deps.logger.debug(`top-k is not sent: ${request.modelId} takes no top-k field`);
  return { inference, ...(additional ? { additional } : {}) };
}

/** The options of one answer: cancel, streamed events, and why it is asked (the ledger's purpose). */
export type AskOptions = CallOptions & { onEvent?: (e: AskEvent) => void; purpose?: AnswerPurpose };

/** The purposes an answer can have: a question, a compared model's answer, an eval answer. */
export type AnswerPurpose = 'question' | 'compare' | 'evalAnswer';

export async function ask(request: AskRequest, deps: AskDeps, options: AskOptions = {}): Promise<AnswerResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const model = lookupModel(request.modelId, request.modelOverrides);
  const notice = unknownModelNotice(model);
  if (notice && !noticed.has(notice)) {
    noticed.add(notice);
    deps.logger.info(notice);
  }
  const { inference, additional } = requestFields(request, model, deps);
  const hits = await deps.retriever.retrieve(request.retrievalQuery ?? request.question, {
    ...request.retrieval,
    signal: options.signal,
    tally: options.tally,
  });
  const prompt = buildPrompt({
    system: request.system ?? SYSTEM_PROMPT,
    question: request.question,
    hits,
    history: request.history ?? [],
    model,
    maxOutputTokens: inference.maxTokens ?? model.maxOutputTokens,
    promptCaching: request.promptCaching ?? true,
  });
  const base = { sources: prompt.sources, contextBudget: prompt.contextBudget, modelId: request.modelId, model };
  options.onEvent?.({ type: 'sources', sources: prompt.sources });
  if (hits.length === 0) {
    options.onEvent?.({ type: 'delta', text: NO_SOURCES_ANSWER });
    return {
      ...base,
      answer: NO_SOURCES_ANSWER,
      citations: [],
      usage: { ...ZERO_USAGE },
      costUsd: 0,
      latencyMs: now() - started,
      stopReason: 'no_sources',
      incomplete: false,
    };
  }
  if (!prompt.fits) throw contextTooLongError({ report: prompt.contextBudget, budgetTokens: prompt.budgetTokens });
  if (prompt.contextBudget.droppedChunks || prompt.contextBudget.droppedTurns) {
    deps.logger.info(
      `context budget: dropped ${prompt.contextBudget.droppedChunks} sources and ${prompt.contextBudget.droppedTurns} earlier turns to fit ${model.contextWindow} tokens`,
    );
  }
  const streamed = await streamAnswer(
    deps.chat,
    {
      modelId: request.modelId,
      system: prompt.system,
      messages: prompt.messages,
      inferenceConfig: inference,
      ...(additional ? { additionalModelRequestFields: additional } : {}),
      ...(request.guardrail ? { guardrailConfig: request.guardrail } : {}),
    },
    model,
    { logger: deps.logger, now, started },
    {
      purpose: options.purpose ?? 'question',
      signal: options.signal,
      tally: options.tally,
      onDelta: (text) => options.onEvent?.({ type: 'delta', text }),
    },
  );
  const { answer, usage, costUsd, stopReason, firstTokenMs } = streamed;
  const latencyMs = now() - started;
  if (streamed.error) {
    return {
      ...base,
      answer,
      citations: resolveCitations(answer, prompt.sources),
      usage,
      costUsd,
      latencyMs,
      firstTokenMs,
      stopReason,
      incomplete: true,
      error: streamed.error,
    };
  }
  deps.logger.debug(
    `answer: ${usage.inputTokens} in (+${usage.cacheReadInputTokens} cache read, +${usage.cacheWriteInputTokens} cache write) / ${usage.outputTokens} out tokens, ` +
      `estimated ${prompt.contextBudget.usedTokens} in, ${latencyMs} ms, ${costUsd === null ? 'cost unknown' : `$${costUsd.toFixed(6)}`}`,
  );
  const guardrail = stopReason === 'guardrail_intervened' ? summarizeGuardrailTrace(streamed.trace, stopReason) : undefined;
  return {
    ...base,
    answer,
    citations: guardrail ? [] : resolveCitations(answer, prompt.sources),
    usage,
    costUsd,
    latencyMs,
    firstTokenMs,
    stopReason,
    incomplete: false,
    ...(guardrail ? { guardrail } : {}),
  };
}
