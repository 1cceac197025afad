/**
 * A/B over an eval set: every question is retrieved once and answered by each variant from the
 * same sources; each variant gets the evaluation command's report (retrieval metrics are shared,
 * answer metrics, citations, tokens, latency and cost are its own).
 */
import { describeError, isCancellation } from '../errors';
import type { EvalReport, QuestionRun } from '../eval/evalReport';
import { buildEvalReport } from '../eval/evalReport';
import type { EvalItem } from '../eval/evalSet';
import { EVAL_RETRIEVAL_DEPTH } from '../eval/runEval';
import type { SearchHit } from '../index/hybridIndex';
import type { CompareDeps, CompareOptions, CompareVariant } from './compareModels';
import { answerVariant, checkVariants } from './compareModels';

/** One variant's evaluation. */
export interface VariantReport {
  label: string;
  modelId: string;
  report: EvalReport;
}

/** Both (all) variants' reports over one eval set, at document cut-off `k`. */
export interface EvalComparison {
  k: number;
  variants: VariantReport[];
}

/** Retrieval for every question, the metrics' cut-off, progress. */
export interface CompareEvalOptions extends Omit<CompareOptions, 'onEvent' | 'history'> {
  /** Document cut-off of recall@k and nDCG@k. */
  k: number;
  /** After each question: questions done, total. */
  onProgress?: (done: number, total: number) => void;
}

/** Runs every question through every variant; a failed question is recorded, not thrown (a cancel is). */
export async function compareOnEvalSet(
  items: readonly EvalItem[],
  variants: readonly CompareVariant[],
  deps: CompareDeps,
  options: CompareEvalOptions,
): Promise<EvalComparison> {
  checkVariants(variants);
  const runs: QuestionRun[][] = variants.map(() => []);
  for (const [done, item] of items.entries()) {
    if (options.signal?.aborted) break;
    let ranked: SearchHit[] = [];
    let hits: SearchHit[] = [];
    let failure: string | undefined;
    try {
      // Deep list for the retrieval metrics; the question's own settings for the answer's sources.
      ranked = await deps.retriever.retrieve(item.question, {
        k: EVAL_RETRIEVAL_DEPTH,
        mode: options.retrieval.mode,
        signal: options.signal,
        tally: options.tally,
      });
      hits = await deps.retriever.retrieve(item.question, { ...options.retrieval, signal: options.signal, tally: options.tally });
    } catch (err) {
      if (isCancellation(err)) throw err;
      failure = describeError(err);
    }
    for (const [v, variant] of variants.entries()) {
      const run: QuestionRun = { item, retrieved: ranked.map((h) => h.chunk) };
      if (failure !== undefined) run.error = failure;
      else {
        const { variant: answer, result } = await answerVariant(item.question, hits, variant, deps, options);
        run.latencyMs = answer.latencyMs;
        // Tokens and cost only for answers that reached the model: a failed call would pull the means to 0.
        if (result) {
          run.answer = answer.answer;
          run.inputTokens = answer.usage.inputTokens + answer.usage.cacheReadInputTokens + answer.usage.cacheWriteInputTokens;
          run.outputTokens = answer.usage.outputTokens;
          if (answer.costUsd !== null) run.costUsd = answer.costUsd;
          const cited = new Set(result.citations.map((c) => c.n));
          run.cited = result.sources.filter((s) => cited.has(s.n)).map((s) => s.chunk);
        }
        if (answer.error !== undefined) run.error = answer.error;
      }
      runs[v]!.push(run);
    }
    options.onProgress?.(done + 1, items.length);
  }
  return {
    k: options.k,
    variants: variants.map((variant, v) => ({
      label: variant.label,
      modelId: variant.modelId,
      report: buildEvalReport(runs[v]!, { k: options.k }),
    })),
  };
}
