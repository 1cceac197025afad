/**
 * A/B comparison: one question, retrieved once, answered by two (or more) model/settings variants
 * from the SAME sources, so the answers differ only by the model and its settings. Each variant
 * reports its answer, citations, tokens, latency and cost; one failing variant does not stop the
 * others.
 */
import { BedrockDocsError, describeError, isCancellation } from '../errors';
import type { SearchHit } from '../index/hybridIndex';
import type { CallOptions, ChatMessage, GuardrailConfig, InferenceConfig, TokenUsage } from '../ports';
import type { AnswerResult, AskDeps, AskEvent, AskRequest, Retriever } from '../rag/ask';
import { ask, ZERO_USAGE } from '../rag/ask';
import type { Citation } from '../rag/citations';
import type { Source } from '../rag/prompt';

/** One side of a comparison. */
export interface CompareVariant {
  /** Column title, unique within a comparison, e.g. "A" or "haiku t=0.2". */
  label: string;
  /** Foundation-model id, inference-profile id or ARN. */
  modelId: string;
  inference: InferenceConfig;
  /** Top-k sampling, sent only to model families that accept it. */
  samplingTopK?: number | null;
}

/** What a comparison needs: the ask dependencies (the metered chat model prices each answer). */
export type CompareDeps = AskDeps;

/** What one variant produced. */
export interface VariantAnswer {
  label: string;
  modelId: string;
  answer: string;
  citations: Citation[];
  usage: TokenUsage;
  /** Generation time, ms (retrieval is shared and not included). */
  latencyMs: number;
  firstTokenMs?: number;
  /** USD; null when the price is unknown or the variant failed before any usage. */
  costUsd: number | null;
  stopReason: string;
  /** The answer is partial (stream cut) or missing (error). */
  incomplete: boolean;
  /** "message — hint" when the variant failed or was cut. */
  error?: string;
  errorCode?: string;
}

/** A whole comparison: the shared sources, then one answer per variant in the given order. */
export interface Comparison {
  question: string;
  sources: Source[];
  variants: VariantAnswer[];
}

/** The question's retrieval and context, shared by every variant. */
export interface CompareOptions extends CallOptions {
  /** Retrieval for the question (k, mode, the user's scope), done once for all variants. */
  retrieval: AskRequest['retrieval'];
  history?: ChatMessage[];
  guardrail?: GuardrailConfig;
  /** Events of each variant's answer, tagged with its label. */
  onEvent?: (label: string, event: AskEvent) => void;
}

/** Throws BAD_INPUT unless there are at least two variants with distinct, non-empty labels and model ids. */
export function checkVariants(variants: readonly CompareVariant[]): void {
  const hint = 'Give two or more variants, each with its own label and a model id, e.g. --models A,B.';
  if (variants.length < 2)
    throw new BedrockDocsError('BAD_INPUT', `A comparison needs at least two variants, got ${variants.length}.`, hint);
  const labels = new Set<string>();
  for (const v of variants) {
    if (!v.label.trim() || !v.modelId.trim()) throw new BedrockDocsError('BAD_INPUT', 'Every variant needs a label and a model id.', hint);
    if (labels.has(v.label)) throw new BedrockDocsError('BAD_INPUT', `Two variants are labelled "${v.label}".`, hint);
    labels.add(v.label);
  }
}

/** A retriever that returns hits found earlier: every variant sees exactly the same sources. */
export function fixedRetriever(hits: readonly SearchHit[]): Retriever {
  return { retrieve: async () => [...hits] };
}

function fromResult(variant: CompareVariant, result: AnswerResult): VariantAnswer {
  const out: VariantAnswer = {
    label: variant.label,
    modelId: variant.modelId,
    answer: result.answer,
    citations: result.citations,
    usage: result.usage,
    latencyMs: result.latencyMs,
    costUsd: result.costUsd,
    stopReason: result.stopReason,
    incomplete: result.incomplete,
  };
  if (result.firstTokenMs !== undefined) out.firstTokenMs = result.firstTokenMs;
  if (result.error) {
    out.error = describeError(result.error);
    out.errorCode = result.error.code;
  }
  return out;
}

/**
 * One variant's answer from already retrieved hits. A failure becomes an `error` on the variant
 * (with its code); only a cancel is thrown.
 */
export async function answerVariant(
  question: string,
  hits: readonly SearchHit[],
  variant: CompareVariant,
  deps: CompareDeps,
  options: CompareOptions,
): Promise<{ variant: VariantAnswer; result?: AnswerResult }> {
  const request: AskRequest = {
    question,
    history: options.history,
    modelId: variant.modelId,
    inference: variant.inference,
    samplingTopK: variant.samplingTopK,
    retrieval: options.retrieval,
    guardrail: options.guardrail,
  };
  const started = (deps.now ?? Date.now)();
  try {
    const result = await ask(
      request,
      { ...deps, retriever: fixedRetriever(hits) },
      { signal: options.signal, tally: options.tally, purpose: 'compare', onEvent: (e) => options.onEvent?.(variant.label, e) },
    );
    return { variant: fromResult(variant, result), result };
  } catch (err) {
    if (isCancellation(err)) throw err;
    deps.logger.warn(`compare: ${variant.label} (${variant.modelId}) failed: ${describeError(err)}`);
    return {
      variant: {
        label: variant.label,
        modelId: variant.modelId,
        answer: '',
        citations: [],
        usage: { ...ZERO_USAGE },
        latencyMs: (deps.now ?? Date.now)() - started,
        costUsd: null,
        stopReason: 'error',
        incomplete: true,
        error: describeError(err),
        errorCode: err instanceof BedrockDocsError ? err.code : 'UNKNOWN',
      },
    };
  }
}

/**
 * Retrieves once, then answers with each variant in turn (one after the other, so latencies are
 * not skewed by running side by side). Throws only for bad variants, a failed retrieval or a cancel.
 */
export async function compareModels(
  question: string,
  variants: readonly CompareVariant[],
  deps: CompareDeps,
  options: CompareOptions,
): Promise<Comparison> {
  checkVariants(variants);
  const hits = await deps.retriever.retrieve(question, { ...options.retrieval, signal: options.signal, tally: options.tally });
  const answers: VariantAnswer[] = [];
  for (const variant of variants) answers.push((await answerVariant(question, hits, variant, deps, options)).variant);
  return { question, sources: hits.map((hit, i) => ({ n: i + 1, chunk: hit.chunk })), variants: answers };
}
