/**
 * Whole-corpus answers: when every document fits comfortably in the model's window (Anthropic
 * suggests this below about 200k tokens: https://www.anthropic.com/news/contextual-retrieval), the
 * prompt carries the whole corpus instead of retrieved chunks, with a cache point after it, so every
 * later question (and follow-up) reads the corpus from the prompt cache at a tenth of the input
 * price. The corpus is laid out in a fixed order (path, then line) so that the cached prefix is the
 * same for every question. The answer says which mode was used.
 */
import type { Chunk } from '../chunk';
import { BedrockDocsError } from '../errors';
import { effectiveMaxTokens, lookupModel } from '../models/catalog';
import type { ModelInfo, ModelOverrides } from '../models/catalog';
import type { ChatMessage, ChatModel, ChatRequest, InferenceConfig, Logger, TokenUsage } from '../ports';
import { estimateTokens } from '../tokens';
import { costOfUsage } from '../usage/cost';
import type { AnswerResult, AskOptions } from './ask';
import type { CachePointAt } from './cachePoints';
import { layoutPrompt } from './cachePoints';
import { resolveCitations } from './citations';
import type { ContextBudgetReport } from './contextBudget';
import { contextTooLongError, DEFAULT_SAFETY_MARGIN, planContext } from './contextBudget';
import type { Source } from './prompt';
import { formatQuestion, formatSources, SYSTEM_PROMPT } from './prompt';
import { streamAnswer } from './streamAnswer';

/** How the answer was grounded: the retrieved chunks, or the whole corpus. */
export type AnswerMode = 'retrieval' | 'wholeCorpus';

/** `off`: always retrieve; `auto`: whole corpus when it fits and the model caches prompts; `always`: whenever it fits. */
export type WholeCorpusSetting = 'off' | 'auto' | 'always';

/** Default cap on the corpus (tokens), below Anthropic's ~200k so history and the answer still fit. */
export const DEFAULT_MAX_CORPUS_TOKENS = 150_000;
/** The corpus may take at most this share of the model's window. */
export const MAX_WINDOW_SHARE = 0.75;
// citations.ts reads [n] up to 3 digits: a larger corpus is numbered by file instead of by chunk.
const MAX_NUMBERED_SOURCES = 999;

/**
 * The corpus as numbered sources, in a fixed order (path, then first line): one source per chunk,
 * or, past 999 chunks, one per file (its chunks joined) so every source can be cited.
 */
export function corpusSources(chunks: readonly Chunk[]): Source[] {
  const sorted = [...chunks].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.startLine - b.startLine || a.endLine - b.endLine,
  );
  if (sorted.length <= MAX_NUMBERED_SOURCES) return sorted.map((chunk, i) => ({ n: i + 1, chunk }));
  const byFile = new Map<string, Chunk[]>();
  for (const chunk of sorted) {
    const list = byFile.get(chunk.path) ?? [];
    list.push(chunk);
    byFile.set(chunk.path, list);
  }
  return [...byFile.values()].map((list, i) => {
    const first = list[0]!;
    const chunk: Chunk = {
      ...first,
      id: `${first.path}#file`,
      breadcrumb: [],
      endLine: Math.max(...list.map((c) => c.endLine)),
      text: list.map((c) => c.text).join('\n\n'),
    };
    return { n: i + 1, chunk };
  });
}

/** Estimated tokens of the corpus exactly as it is sent (the formatted sources block). */
export function estimateCorpusTokens(chunks: readonly Chunk[], estimate: (text: string) => number = estimateTokens): number {
  return estimate(formatSources(corpusSources(chunks)));
}

/** USD of the first question (writes the corpus to the cache) and of each later one within the cache's life (reads it). */
export interface WholeCorpusCost {
  firstQuestionUsd: number | null;
  laterQuestionUsd: number | null;
  /** Prompt caching applies: without it every question pays the first question's price. */
  cached: boolean;
}

/** What to do for this corpus and model, and why, in one sentence for the UI and the log. */
export interface WholeCorpusDecision {
  mode: AnswerMode;
  reason: string;
  corpusTokens: number;
  windowTokens: number;
  /** The largest corpus this model and setting accept (tokens). */
  limitTokens: number;
  cost: WholeCorpusCost;
}

export interface WholeCorpusDecisionInput {
  setting: WholeCorpusSetting;
  corpusTokens: number;
  modelId: string;
  overrides?: ModelOverrides;
  /** The answer's maxTokens, reserved in the window. */
  maxOutputTokens: number;
  /** Default DEFAULT_MAX_CORPUS_TOKENS. */
  maxCorpusTokens?: number;
  /** Estimated tokens of a typical question plus history, reserved too (default 2,000). */
  questionTokens?: number;
}

/** Prices one question over the whole corpus: corpus as cache write (first) or read (later), plus the answer. */
export function estimateWholeCorpusCost(
  info: ModelInfo,
  corpusTokens: number,
  questionTokens: number,
  outputTokens: number,
): WholeCorpusCost {
  const cached = !!info.caching && info.caching.fields.includes('messages') && corpusTokens >= info.caching.minTokensPerCheckpoint;
  const usage = (read: number, write: number, input: number): TokenUsage => ({
    inputTokens: input,
    outputTokens,
    cacheReadInputTokens: read,
    cacheWriteInputTokens: write,
  });
  const system = estimateTokens(SYSTEM_PROMPT);
  if (!cached) {
    const each = costOfUsage(usage(0, 0, system + corpusTokens + questionTokens), info.prices);
    return { firstQuestionUsd: each, laterQuestionUsd: each, cached };
  }
  return {
    firstQuestionUsd: costOfUsage(usage(0, system + corpusTokens, questionTokens), info.prices),
    laterQuestionUsd: costOfUsage(usage(system + corpusTokens, 0, questionTokens), info.prices),
    cached,
  };
}

/**
 * Whole corpus or retrieval. The corpus must fit under the setting's cap, under MAX_WINDOW_SHARE
 * of the window, and with the question, the answer and the estimate's safety margin inside the
 * window; `auto` also needs prompt caching, or every question would pay for the whole corpus.
 */
export function decideAnswerMode(input: WholeCorpusDecisionInput): WholeCorpusDecision {
  const info = lookupModel(input.modelId, input.overrides);
  const questionTokens = input.questionTokens ?? 2_000;
  const windowTokens = info.contextWindow;
  const roomInWindow =
    Math.floor((windowTokens - input.maxOutputTokens) * (1 - DEFAULT_SAFETY_MARGIN)) - questionTokens - estimateTokens(SYSTEM_PROMPT);
  const limitTokens = Math.max(
    0,
    Math.min(input.maxCorpusTokens ?? DEFAULT_MAX_CORPUS_TOKENS, Math.floor(windowTokens * MAX_WINDOW_SHARE), roomInWindow),
  );
  const cost = estimateWholeCorpusCost(info, input.corpusTokens, questionTokens, input.maxOutputTokens);
  const size = `${input.corpusTokens.toLocaleString('en-US')} tokens`;
  const base = { corpusTokens: input.corpusTokens, windowTokens, limitTokens, cost };
  if (input.setting === 'off') return { ...base, mode: 'retrieval', reason: 'retrieval: whole-corpus answers are off' };
  if (input.corpusTokens === 0) return { ...base, mode: 'retrieval', reason: 'retrieval: the index is empty' };
  if (input.corpusTokens > limitTokens) {
    return {
      ...base,
      mode: 'retrieval',
      reason: `retrieval: the corpus (${size}) is over the ${limitTokens.toLocaleString('en-US')}-token limit for ${info.name}`,
    };
  }
  if (input.setting === 'auto' && !cost.cached) {
    return {
      ...base,
      mode: 'retrieval',
      reason: `retrieval: ${info.name} has no prompt caching here, so every question would pay for the whole corpus (${size})`,
    };
  }
  return {
    ...base,
    mode: 'wholeCorpus',
    reason: `whole corpus: ${size} fit ${info.name}'s ${windowTokens.toLocaleString('en-US')}-token window${cost.cached ? ', cached after the first question' : ''}`,
  };
}

/** A question answered over the whole corpus. */
export interface WholeCorpusAskRequest {
  question: string;
  /** Earlier turns, oldest first, as plain text messages. */
  history?: ChatMessage[];
  modelId: string;
  inference: InferenceConfig;
  /** Every chunk of the index (any order: the prompt sorts them). */
  corpus: readonly Chunk[];
  modelOverrides?: ModelOverrides;
  /** Converse cache points after the corpus (default true). */
  promptCaching?: boolean;
}

/** The answer, with the mode and where the cache points went. `sources` holds the cited ones only. */
export type WholeCorpusAnswer = AnswerResult & { mode: 'wholeCorpus'; cachePoints: CachePointAt[] };

/** The Converse request of a whole-corpus question: system, corpus, cache point, history, question. */
export interface WholeCorpusPrompt {
  sources: Source[];
  request: ChatRequest;
  cachePoints: CachePointAt[];
  contextBudget: ContextBudgetReport;
  fits: boolean;
  budgetTokens: number;
}

/**
 * Lays out a whole-corpus question. The corpus leads the conversation (the same block for every
 * question, so it stays cached through follow-ups); older turns are dropped when the window is short.
 */
export function wholeCorpusPrompt(request: WholeCorpusAskRequest): WholeCorpusPrompt {
  const model = lookupModel(request.modelId, request.modelOverrides);
  const sources = corpusSources(request.corpus);
  const sourcesBlock = formatSources(sources);
  const questionBlock = formatQuestion(request.question);
  const history = request.history ?? [];
  const inference: InferenceConfig = {
    ...request.inference,
    maxTokens: effectiveMaxTokens(model, request.inference.maxTokens ?? model.maxOutputTokens),
  };
  if (!model.temperature) {
    delete inference.temperature;
    delete inference.topP;
  }
  const plan = planContext({
    windowTokens: model.contextWindow,
    maxOutputTokens: inference.maxTokens!,
    system: SYSTEM_PROMPT,
    question: questionBlock,
    sources: [{ item: sourcesBlock, score: 1, text: sourcesBlock }],
    history,
  });
  const layout = layoutPrompt({
    system: SYSTEM_PROMPT,
    sourcesBlock,
    questionBlock,
    history: plan.history,
    historySharesSources: true,
    caching: model.caching,
    enabled: request.promptCaching !== false,
  });
  return {
    sources,
    request: { modelId: request.modelId, system: layout.system, messages: layout.messages, inferenceConfig: inference },
    cachePoints: layout.cachePoints.map((c) => c.at),
    contextBudget: plan.report,
    // The corpus itself must fit: planContext drops a source that does not, and that is no answer.
    fits: plan.fits && plan.sources.length === 1,
    budgetTokens: plan.budgetTokens,
  };
}

/**
 * Answers over the whole corpus, streaming deltas like `ask`. The `sources` event comes after the
 * answer and lists only the cited sources (the corpus itself is hundreds of them).
 */
export async function askWholeCorpus(
  request: WholeCorpusAskRequest,
  deps: { chat: ChatModel; logger: Logger; now?: () => number },
  options: AskOptions = {},
): Promise<WholeCorpusAnswer> {
  const now = deps.now ?? Date.now;
  const started = now();
  if (request.corpus.length === 0)
    throw new BedrockDocsError(
      'NOT_INDEXED',
      'There are no indexed documents to answer from.',
      'Index the workspace first (Bedrock Docs: Index Workspace).',
    );
  const model = lookupModel(request.modelId, request.modelOverrides);
  const prompt = wholeCorpusPrompt(request);
  if (!prompt.fits) throw contextTooLongError({ report: prompt.contextBudget, budgetTokens: prompt.budgetTokens });
  const streamed = await streamAnswer(
    deps.chat,
    prompt.request,
    model,
    { logger: deps.logger, now, started },
    {
      purpose: options.purpose ?? 'question',
      signal: options.signal,
      tally: options.tally,
      onDelta: (text) => options.onEvent?.({ type: 'delta', text }),
    },
  );
  const { answer, usage, costUsd, stopReason, firstTokenMs, error } = streamed;
  const citations = resolveCitations(answer, prompt.sources);
  const cited = new Set(citations.map((c) => c.n));
  const citedSources = prompt.sources.filter((s) => cited.has(s.n));
  options.onEvent?.({ type: 'sources', sources: citedSources });
  deps.logger.debug(
    `whole-corpus answer: ${prompt.sources.length} sources, ${usage.inputTokens} in (+${usage.cacheReadInputTokens} cache read, +${usage.cacheWriteInputTokens} cache write) / ${usage.outputTokens} out tokens`,
  );
  return {
    mode: 'wholeCorpus',
    answer,
    sources: citedSources,
    citations,
    usage,
    costUsd,
    contextBudget: prompt.contextBudget,
    latencyMs: now() - started,
    firstTokenMs,
    stopReason,
    modelId: request.modelId,
    model,
    incomplete: error !== undefined,
    ...(error ? { error } : {}),
    cachePoints: prompt.cachePoints,
  };
}
