/**
 * The one question pipeline every surface calls (the chat view, `@docs`, the LM tool, the editor
 * commands, CLI `ask`/`compare`/`eval`, the MCP server): condense a follow-up into a standalone
 * query, retrieve (the retriever stack expands the query, fuses the backends and reranks), fit the
 * context, converse, map the citations. Surfaces only render its events and its result.
 *
 * Every model call it makes goes through the metered ports it is given, so each one is redacted,
 * budgeted and recorded; the question's `total` is what the meter counted for it.
 */
import type { AgentStep } from '../agent/runAgent';
import type { DocReader } from '../agent/docReader';
import type { Chunk } from '../chunk';
import type { SearchHit, SearchMode } from '../index/hybridIndex';
import type { SearchFilter } from '../index/searchFilter';
import { hasFilter, parseQuery } from '../index/searchFilter';
import type { TallyTotals } from '../metering/usageTally';
import { CallTally } from '../metering/usageTally';
import type { CallOptions, ChatModel, Logger } from '../ports';
import type { Settings } from '../settings';
import type { AnswerPurpose, AskEvent, Retriever } from './ask';
import type { QuestionAnswer } from './answerQuestion';
import { answerQuestion } from './answerQuestion';
import { askRequestFromSettings, inferenceFromSettings } from './askRequest';
import type { EvalComparison } from '../compare/compareEval';
import { compareOnEvalSet } from '../compare/compareEval';
import type { Comparison, CompareVariant } from '../compare/compareModels';
import { compareModels } from '../compare/compareModels';
import type { QuestionRun } from '../eval/evalReport';
import type { EvalItem } from '../eval/evalSet';
import { runEval } from '../eval/runEval';
import type { PriorTurn } from './followUp';
import { condenseQuery, historyMessages } from './followUp';

/** A question as a surface hands it over. */
export interface QuestionInput {
  question: string;
  /** Earlier turns of the conversation, oldest first; the last six are sent. */
  history?: readonly PriorTurn[];
  /** A selection or a file the question is about: sent with the question and steering the search. */
  context?: { label: string; text: string };
  /** The user's scope (a folder, the current file); `path:` and `type:` in the question narrow it further. */
  filter?: SearchFilter;
  /** Model to answer with (default `chat.modelId`). */
  modelId?: string;
  /** Sources to retrieve (default `retrieval.topK`) and how (default `retrieval.mode`). */
  k?: number;
  mode?: SearchMode;
  /** Agent mode: the model searches and reads with tools. */
  agent?: boolean;
}

/** What the pipeline tells a surface while it works. */
export type PipelineEvent =
  { type: 'phase'; phase: 'condensing' | 'searching' | 'answering' } | AskEvent | { type: 'step'; step: AgentStep };

/** The ports and settings of one question (built per settings by src/node/docsStack.ts). */
export interface PipelineDeps {
  settings: Settings;
  retriever: Retriever;
  /** The metered chat model. */
  chat: ChatModel;
  logger: Logger;
  /** Agent mode's confined, read-only view of the documents. */
  agentReader?: () => DocReader;
  /** The index's chunks, for whole-corpus answers (read only when that mode is chosen). */
  corpus?: () => readonly Chunk[];
}

/** The answer, plus what the whole question cost and what it searched for. */
export type QuestionResult = QuestionAnswer & {
  /** Every call the question made (condensing, expansion, embeddings, rerank, answer, agent steps). */
  total: TallyTotals;
  /** The standalone query searched for, when a follow-up was condensed. */
  searchedFor?: string;
};

/** Options of one run: cancel, events, and the purpose of its answer (question, compare, eval). */
export interface PipelineOptions extends CallOptions {
  onEvent?: (event: PipelineEvent) => void;
  purpose?: AnswerPurpose;
}

// Characters of a selection added to the search query: enough to steer it, not to swamp it.
const CONTEXT_QUERY_CHARS = 400;
const HISTORY_TURNS = 6;

/** Answers one question the same way for every surface. */
export async function runQuestion(input: QuestionInput, deps: PipelineDeps, options: PipelineOptions = {}): Promise<QuestionResult> {
  const { settings } = deps;
  const tally = new CallTally(options.tally);
  const emit = options.onEvent ?? (() => undefined);
  const parsed = parseQuery(input.question);
  const filter = mergeFilters(input.filter, parsed.filter);
  const history = input.history ?? [];
  const modelId = input.modelId ?? settings['chat.modelId'];
  let searchedFor = parsed.text;
  if (history.length > 0) {
    emit({ type: 'phase', phase: 'condensing' });
    const condensed = await condenseQuery(
      parsed.text,
      history,
      { chat: deps.chat, modelId, logger: deps.logger },
      {
        signal: options.signal,
        tally,
      },
    );
    searchedFor = condensed.query;
  }
  const question = input.context ? `${parsed.text}\n\n${input.context.label}:\n${input.context.text}` : parsed.text;
  const request = askRequestFromSettings(settings, question, { modelId, k: input.k, mode: input.mode, filter });
  request.retrievalQuery = input.context ? `${searchedFor} ${input.context.text.slice(0, CONTEXT_QUERY_CHARS)}` : searchedFor;
  request.history = historyMessages(history.slice(-HISTORY_TURNS));
  emit({ type: 'phase', phase: 'searching' });
  let answering = false;
  const onEvent = (e: AskEvent) => {
    if (e.type === 'delta' && !answering) {
      answering = true;
      emit({ type: 'phase', phase: 'answering' });
    }
    emit(e);
  };
  const reader = input.agent ? deps.agentReader?.() : undefined;
  const result = await answerQuestion(
    request,
    { retriever: deps.retriever, chat: deps.chat, logger: deps.logger },
    {
      ...(reader
        ? {
            agent: {
              reader,
              maxSteps: settings['agent.maxSteps'],
              tokenBudget: settings['agent.tokenBudget'],
              onStep: (step) => emit({ type: 'step', step }),
            },
          }
        : {}),
      ...(deps.corpus
        ? { wholeCorpus: { setting: settings['chat.wholeCorpus'], maxTokens: settings['chat.wholeCorpusMaxTokens'], chunks: deps.corpus } }
        : {}),
    },
    { signal: options.signal, tally, onEvent, purpose: options.purpose ?? 'question' },
  );
  return { ...result, total: tally.value, ...(searchedFor !== parsed.text ? { searchedFor } : {}) };
}

/** Search only (Search Docs, Find Related Docs, the LM tool, `bedrock-docs search`, MCP `search_docs`). */
export async function searchDocs(
  query: string,
  deps: Pick<PipelineDeps, 'settings' | 'retriever'>,
  options: CallOptions & { k?: number; mode?: SearchMode; filter?: SearchFilter } = {},
): Promise<{ hits: SearchHit[]; filter?: SearchFilter }> {
  const parsed = parseQuery(query);
  const filter = mergeFilters(options.filter, parsed.filter);
  const hits = await deps.retriever.retrieve(parsed.text, {
    k: options.k ?? deps.settings['retrieval.topK'],
    mode: options.mode ?? deps.settings['retrieval.mode'],
    filter,
    scoreThreshold: deps.settings['retrieval.scoreThreshold'],
    signal: options.signal,
    tally: options.tally,
  });
  return { hits, ...(filter ? { filter } : {}) };
}

/** The user's scope narrowed by the filters typed in the question (`path:`, `type:`). */
function mergeFilters(scope: SearchFilter | undefined, typed: SearchFilter | undefined): SearchFilter | undefined {
  const asked = hasFilter(typed) ? typed : undefined;
  if (!scope || !asked) return scope ?? asked;
  const prefix = asked.pathPrefix;
  const within = !!prefix && (!scope.pathPrefix || prefix === scope.pathPrefix || prefix.startsWith(`${scope.pathPrefix}/`));
  const pathPrefix = within ? prefix : scope.pathPrefix;
  return { ...scope, ...asked, ...(pathPrefix ? { pathPrefix } : {}) };
}

/** One question answered by each of `modelIds` from the same sources (Compare Models, `bedrock-docs compare`). */
export async function compareQuestion(
  input: Pick<QuestionInput, 'question' | 'filter' | 'k' | 'mode' | 'history'>,
  modelIds: readonly string[],
  deps: PipelineDeps,
  options: CallOptions & { onEvent?: (label: string, event: AskEvent) => void } = {},
): Promise<Comparison & { total: TallyTotals }> {
  const tally = new CallTally(options.tally);
  const parsed = parseQuery(input.question);
  const filter = mergeFilters(input.filter, parsed.filter);
  const base = askRequestFromSettings(deps.settings, parsed.text, { k: input.k, mode: input.mode, filter });
  const comparison = await compareModels(parsed.text, compareVariants(deps.settings, modelIds), deps, {
    retrieval: base.retrieval,
    ...(input.history?.length ? { history: historyMessages(input.history.slice(-HISTORY_TURNS)) } : {}),
    ...(base.guardrail ? { guardrail: base.guardrail } : {}),
    signal: options.signal,
    tally,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  return { ...comparison, total: tally.value };
}

/** The variants of a comparison: the chat settings, one model each, labelled A, B, C... */
export function compareVariants(settings: Settings, modelIds: readonly string[]): CompareVariant[] {
  return modelIds.map((modelId, i) => ({
    label: String.fromCharCode(65 + i),
    modelId,
    inference: inferenceFromSettings(settings),
    samplingTopK: settings['chat.topK'],
  }));
}

/** An eval set through retrieval and, unless `retrievalOnly`, answers (Evaluate, `bedrock-docs eval`). */
export async function evaluateSet(
  items: readonly EvalItem[],
  deps: PipelineDeps,
  options: CallOptions & {
    retrievalOnly?: boolean;
    mode?: SearchMode;
    modelId?: string;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<{ runs: QuestionRun[]; total: TallyTotals }> {
  const tally = new CallTally(options.tally);
  const mode = options.mode ?? deps.settings['retrieval.mode'];
  const runs = await runEval(items, {
    retriever: deps.retriever,
    mode,
    signal: options.signal,
    tally,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.retrievalOnly
      ? {}
      : {
          generate: {
            deps: { retriever: deps.retriever, chat: deps.chat, logger: deps.logger },
            request: (q: string) =>
              askRequestFromSettings(deps.settings, q, { mode, ...(options.modelId ? { modelId: options.modelId } : {}) }),
          },
        }),
  });
  return { runs, total: tally.value };
}

/** An eval set answered by each model from the same sources (`bedrock-docs compare --eval`). */
export async function compareOnSet(
  items: readonly EvalItem[],
  modelIds: readonly string[],
  deps: PipelineDeps,
  options: CallOptions & { k: number; mode?: SearchMode },
): Promise<EvalComparison & { total: TallyTotals }> {
  const tally = new CallTally(options.tally);
  const base = askRequestFromSettings(deps.settings, '', { k: options.k, mode: options.mode });
  const result = await compareOnEvalSet(items, compareVariants(deps.settings, modelIds), deps, {
    k: options.k,
    retrieval: base.retrieval,
    signal: options.signal,
    tally,
  });
  return { ...result, total: tally.value };
}
