/**
 * Runs an eval set through the product: retrieval for every question and, unless retrieval-only,
 * a grounded answer whose citations and text are scored against the references.
 */
import { describeError, isCancellation } from '../errors';
import type { AskDeps, AskRequest, Retriever } from '../rag/ask';
import { ask } from '../rag/ask';
import type { SearchMode } from '../index/hybridIndex';
import type { UsageTally } from '../ports';
import type { EvalItem } from './evalSet';
import type { QuestionRun } from './evalReport';

/** Chunks retrieved per question for scoring: deep enough that MRR sees a gold file ranked low. */
export const EVAL_RETRIEVAL_DEPTH = 100;

export interface RunEvalOptions {
  retriever: Retriever;
  mode: SearchMode;
  /** Set to generate answers: the ask dependencies and a request builder per question. */
  generate?: {
    deps: AskDeps;
    request: (question: string) => AskRequest;
  };
  signal?: AbortSignal;
  /** Adds up the run's calls (query embeddings, answers). */
  tally?: UsageTally;
  onProgress?: (done: number, total: number) => void;
}

export async function runEval(items: readonly EvalItem[], options: RunEvalOptions): Promise<QuestionRun[]> {
  const runs: QuestionRun[] = [];
  for (const item of items) {
    if (options.signal?.aborted) break;
    const started = Date.now();
    const run: QuestionRun = { item, retrieved: [] };
    try {
      const hits = await options.retriever.retrieve(item.question, {
        k: EVAL_RETRIEVAL_DEPTH,
        mode: options.mode,
        signal: options.signal,
        tally: options.tally,
      });
      run.retrieved = hits.map((h) => h.chunk);
      if (options.generate) {
        const result = await ask(options.generate.request(item.question), options.generate.deps, {
          signal: options.signal,
          tally: options.tally,
          purpose: 'evalAnswer',
        });
        run.answer = result.answer;
        const cited = new Set(result.citations.map((c) => c.n));
        run.cited = result.sources.filter((s) => cited.has(s.n)).map((s) => s.chunk);
        run.inputTokens = result.usage.inputTokens + result.usage.cacheReadInputTokens + result.usage.cacheWriteInputTokens;
        run.outputTokens = result.usage.outputTokens;
        if (result.costUsd !== null) run.costUsd = result.costUsd;
        if (result.incomplete) run.error = describeError(result.error);
      }
    } catch (err) {
      if (isCancellation(err)) throw err;
      run.error = describeError(err);
    }
    run.latencyMs = Date.now() - started;
    runs.push(run);
    options.onProgress?.(runs.length, items.length);
  }
  return runs;
}
