/**
 * Renders an eval report as fixed-width text for a terminal or a log: the overall metrics with
 * any baselines side by side, then optionally one line per question.
 */
import { ndcgKey, recallKey } from './evalReport';
import type { EvalReport, MetricValues } from './evalReport';

/** Table options; the defaults print the overall metrics only. */
export interface FormatEvalTableOptions {
  perQuestion?: boolean;
  /** Width the question text is cut to in the per-question table (characters). */
  questionWidth?: number;
  /** Header of the run's own column. */
  runName?: string;
}

/** Overall rows in print order; rows that no column has a value for are left out. */
export function overallKeys(k: number): string[] {
  return [
    'questions',
    recallKey(k),
    'mrr',
    ndcgKey(k),
    'rougeL',
    'bleu',
    'citationPrecision',
    'uncitedAnswers',
    'yesNoAccuracy',
    'inputTokens',
    'outputTokens',
    'latencyP50Ms',
    'latencyP95Ms',
    'costUsd',
    'costUsdTotal',
    'errors',
  ];
}

/** A metric's value as printed: ratios to 3 decimals, counts and ms whole, USD to 5 decimals, '-' when undefined. */
export function formatMetric(key: string, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  if (key.startsWith('cost')) return value.toFixed(5);
  if (
    key.endsWith('Ms') ||
    key.endsWith('Tokens') ||
    key === 'questions' ||
    key === 'errors' ||
    key === 'uncitedAnswers' ||
    key === 'citedChunks'
  ) {
    return String(Math.round(value));
  }
  return value.toFixed(3);
}

/** Text columns are left-aligned, numbers right-aligned. */
function table(header: string[], rows: string[][], isText: (column: number) => boolean): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (isText(i) ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Columns: the run (when it has values), then each baseline, one row per metric. */
export function formatOverallTable(columns: ReadonlyArray<{ name: string; values: MetricValues }>, keys: readonly string[]): string {
  const shown = keys.filter((key) => columns.some((c) => c.values[key] !== null && c.values[key] !== undefined));
  const rows = shown.map((key) => [key, ...columns.map((c) => formatMetric(key, c.values[key]))]);
  return table(['metric', ...columns.map((c) => c.name)], rows, (i) => i === 0);
}

function cut(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 3))}...`;
}

/** One line per question: its id, the metrics any question has a value for, then the question. */
export function formatQuestionTable(report: EvalReport, options: { questionWidth?: number } = {}): string {
  const k = report.k;
  const candidates = [recallKey(k), 'mrr', ndcgKey(k), 'rougeL', 'bleu', 'citationPrecision', 'yesNo', 'latencyMs'];
  const keys = candidates.filter((key) => report.questions.some((q) => q.metrics[key] !== null && q.metrics[key] !== undefined));
  const header = ['id', ...keys.map((key) => (key === 'citationPrecision' ? 'citePrec' : key)), 'question'];
  const width = options.questionWidth ?? 60;
  const rows = report.questions.map((q) => [
    q.id,
    ...keys.map((key) => formatMetric(key, q.metrics[key])),
    cut(q.error === undefined ? q.question : `[error: ${q.error}] ${q.question}`, width),
  ]);
  return table(header, rows, (i) => i === 0 || i === header.length - 1);
}

/** The report as text: overall (with baselines side by side), then per question when asked. */
export function formatEvalTable(report: EvalReport, options: FormatEvalTableOptions = {}): string {
  const columns = [
    { name: options.runName ?? 'run', values: report.overall },
    ...Object.entries(report.baselines ?? {}).map(([name, values]) => ({ name, values })),
  ];
  const parts = [formatOverallTable(columns, overallKeys(report.k))];
  if (options.perQuestion && report.questions.length > 0) parts.push(formatQuestionTable(report, options));
  return `${parts.join('\n\n')}\n`;
}
