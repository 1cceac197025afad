/**
 * Scores each question of an eval run and aggregates them into the report the CLI prints as a
 * table or JSON: `{k, overall: {"recall@5", "mrr", "ndcg@5", ...}, questions: [...], baselines?}`.
 */
import { citationPrecision, judgeRetrieval, ndcgAtK, recallAtK, reciprocalRank } from './metrics';
import type { ScoredHit } from './metrics';
import { rougeL, sentenceBleu } from './answerMetrics';
import { gradeYesNo } from './yesNo';
import type { EvalItem } from './evalSet';

/** Metric name -> value; null where it is undefined for that question (no answer, no citation). */
export type MetricValues = Record<string, number | null>;

/** What one question produced: the ranked hits, and when answers were generated, the rest. */
export interface QuestionRun {
  item: EvalItem;
  /** Retrieved chunks, best first. */
  retrieved: readonly ScoredHit[];
  answer?: string;
  /** The chunks the answer cites, each once; leave undefined when citations are not tracked. */
  cited?: readonly ScoredHit[];
  inputTokens?: number;
  outputTokens?: number;
  /** Wall time of the question, retrieval to last token (ms). */
  latencyMs?: number;
  costUsd?: number;
  /** Set when the question failed; its retrieval scores then reflect `retrieved` (usually empty). */
  error?: string;
}

/** One question's line of the report. */
export interface QuestionScore {
  id: string;
  question: string;
  /** Same keys as `overall`, per question: `mrr` is this question's reciprocal rank, `latencyMs` its time. */
  metrics: MetricValues;
  /** Each relevant entry's document rank (1-based), null when not retrieved. */
  ranks: Record<string, number | null>;
  /** The first distinct documents retrieved (up to k), to see what came instead. */
  topDocuments: string[];
  error?: string;
}

/** The report, in the shape written as JSON. */
export interface EvalReport {
  k: number;
  overall: MetricValues;
  questions: QuestionScore[];
  /** Baseline name -> its overall metrics, shown side by side. */
  baselines?: Record<string, MetricValues>;
}

/** `recall@5`: the recall key for cut-off k. */
export function recallKey(k: number): string {
  return `recall@${k}`;
}

/** `ndcg@5`: the nDCG key for cut-off k. */
export function ndcgKey(k: number): string {
  return `ndcg@${k}`;
}

/** Scores one question at document cut-off `k`. */
export function scoreQuestion(run: QuestionRun, k: number): QuestionScore {
  const { item } = run;
  const judgement = judgeRetrieval(run.retrieved, item.relevant);
  const hasAnswer = run.answer !== undefined && run.error === undefined;
  const answer = run.answer ?? '';
  const reference = item.referenceAnswer;
  const yesNo = hasAnswer && item.yesNoNone ? gradeYesNo(answer, item.yesNoNone) : undefined;
  const cited = hasAnswer && run.cited ? citationPrecision(run.cited, item.relevant) : undefined;
  const metrics: MetricValues = {
    [recallKey(k)]: recallAtK(judgement, k),
    mrr: reciprocalRank(judgement),
    [ndcgKey(k)]: ndcgAtK(judgement, k),
    rougeL: hasAnswer && reference !== undefined ? rougeL(reference, answer).fmeasure : null,
    bleu: hasAnswer && reference !== undefined ? sentenceBleu(reference, answer) : null,
    citationPrecision: cited ?? null,
    citedChunks: hasAnswer && run.cited ? run.cited.length : null,
    yesNo: yesNo === undefined ? null : yesNo ? 1 : 0,
    inputTokens: run.inputTokens ?? null,
    outputTokens: run.outputTokens ?? null,
    latencyMs: run.latencyMs ?? null,
    costUsd: run.costUsd ?? null,
  };
  const score: QuestionScore = {
    id: item.id,
    question: item.question,
    metrics,
    ranks: Object.fromEntries(judgement.entries.map((e) => [e.entry.raw, e.rank])),
    topDocuments: judgement.documents.slice(0, k),
  };
  if (run.error !== undefined) score.error = run.error;
  return score;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The q-quantile (0..1) by linear interpolation between the closest ranks (NumPy's default):
 * p50 of [1, 2, 3, 4] is 2.5. Null for no values.
 */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function present(scores: readonly QuestionScore[], key: string): number[] {
  return scores.map((s) => s.metrics[key]).filter((v): v is number => typeof v === 'number');
}

/**
 * Overall metrics: the mean of each per-question value over the questions that have one (rougeL,
 * bleu, yesNoAccuracy and citationPrecision skip nulls; uncitedAnswers counts answers that cited
 * nothing, which citationPrecision cannot score), latency p50/p95 (ms), mean tokens and cost per
 * question (USD) and the total cost (USD).
 */
export function summarizeScores(scores: readonly QuestionScore[], k: number): MetricValues {
  const costs = present(scores, 'costUsd');
  const citedCounts = present(scores, 'citedChunks');
  return {
    questions: scores.length,
    [recallKey(k)]: mean(present(scores, recallKey(k))),
    mrr: mean(present(scores, 'mrr')),
    [ndcgKey(k)]: mean(present(scores, ndcgKey(k))),
    rougeL: mean(present(scores, 'rougeL')),
    bleu: mean(present(scores, 'bleu')),
    citationPrecision: mean(present(scores, 'citationPrecision')),
    uncitedAnswers: citedCounts.length === 0 ? null : citedCounts.filter((n) => n === 0).length,
    yesNoAccuracy: mean(present(scores, 'yesNo')),
    inputTokens: mean(present(scores, 'inputTokens')),
    outputTokens: mean(present(scores, 'outputTokens')),
    latencyP50Ms: percentile(present(scores, 'latencyMs'), 0.5),
    latencyP95Ms: percentile(present(scores, 'latencyMs'), 0.95),
    costUsd: mean(costs),
    costUsdTotal: costs.length === 0 ? null : costs.reduce((a, b) => a + b, 0),
    errors: scores.filter((s) => s.error !== undefined).length,
  };
}

/** Scores every run and builds the report; `baselines` are other systems' `overall` values. */
export function buildEvalReport(
  runs: readonly QuestionRun[],
  options: { k: number; baselines?: Record<string, MetricValues> },
): EvalReport {
  const questions = runs.map((run) => scoreQuestion(run, options.k));
  const report: EvalReport = { k: options.k, overall: summarizeScores(questions, options.k), questions };
  if (options.baselines) report.baselines = options.baselines;
  return report;
}
