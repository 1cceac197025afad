/**
 * The usage report's body from a UsageReport: summary figures, daily token and cost charts, the
 * per-model table, latency and errors by kind, the budget and the daily table. Text goes in
 * through textContent only. An unknown cost reads "unknown" (or "$0.02+" when partly known).
 */
import { formatCost, formatCount, formatLatency } from '../protocol/formatStats';
import { h } from '../webview/dom';
import type { BarDatum, SeriesSpec } from './charts';
import { legend, shareBar, stackedBarChart } from './charts';
import type { UsageDay, UsageReport } from './usageMessages';

type Totals = Pick<UsageDay, 'costUsd' | 'costComplete'>;

/** "$0.021", "$0.02+" (some costs unknown), "unknown" (none known). */
export function costText(t: Totals): string {
  if (t.costUsd === null) return 'unknown';
  return `${formatCost(t.costUsd)}${t.costComplete ? '' : '+'}`;
}

const percent = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)} %`);
const inputSide = (d: Pick<UsageDay, 'inputTokens' | 'cacheReadInputTokens' | 'cacheWriteInputTokens'>) =>
  d.inputTokens + d.cacheReadInputTokens + d.cacheWriteInputTokens;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-01-05" as "Jan 5". */
export function shortDay(day: string): string {
  const [, m, d] = day.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${Number(d)}`;
}

/** Token counts on an axis: "0", "850", "12k", "1.5M". */
export function compactCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1_000_000) return `${Number((n / 1000).toFixed(n < 10_000 ? 1 : 0))}k`;
  return `${Number((n / 1_000_000).toFixed(1))}M`;
}

const TOKEN_SERIES: SeriesSpec[] = [
  { key: 'input', label: 'Input', className: 'series-input' },
  { key: 'cacheRead', label: 'Cache read', className: 'series-cache-read' },
  { key: 'cacheWrite', label: 'Cache write', className: 'series-cache-write' },
  { key: 'output', label: 'Output', className: 'series-output' },
  { key: 'embedding', label: 'Embedding', className: 'series-embedding' },
];
const COST_SERIES: SeriesSpec[] = [{ key: 'cost', label: 'Cost', className: 'series-cost' }];

function figure(label: string, value: string, detail?: string, extra?: Element): HTMLElement {
  return h(
    'div',
    { class: 'figure' },
    h('div', { class: 'figure-label' }, label),
    h('div', { class: 'figure-value' }, value),
    detail ? h('div', { class: 'figure-detail' }, detail) : null,
    extra ?? null,
  );
}

function section(title: string, id: string, ...children: Array<Node | null>): HTMLElement {
  return h('section', { class: 'section', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function table(caption: string, head: string[], rows: Array<Array<string | Node>>, className = ''): HTMLTableElement {
  return h(
    'table',
    { class: `data ${className}`.trim() },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { scope: 'col', class: i === 0 ? '' : 'num' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((row) => h('tr', {}, ...row.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: 'num' }, c))))),
    ),
  );
}

function summary(report: UsageReport): HTMLElement {
  const t = report.total;
  const cache =
    t.cacheHitShare === null ? null : shareBar(t.cacheHitShare, `Cache-hit share ${percent(t.cacheHitShare)}`, 'fill series-cache-read');
  const saved = report.cacheSavingsUsd;
  const savedText = saved === 0 ? undefined : saved > 0 ? `saved ${formatCost(saved)}` : `writes cost ${formatCost(-saved)} more so far`;
  const q = report.questionLatency;
  const errors = t.requests === 0 ? null : t.errors / t.requests;
  return h(
    'div',
    { class: 'figures', role: 'group', 'aria-label': 'Totals for the period' },
    figure('Calls', formatCount(t.requests), `${formatCount(t.errors)} failed`),
    figure(
      'Tokens in / out',
      `${formatCount(inputSide(t))} / ${formatCount(t.outputTokens)}`,
      t.embeddingTokens ? `+ ${formatCount(t.embeddingTokens)} embedding` : undefined,
    ),
    figure('Estimated cost', costText(t), t.costUsd !== null && !t.costComplete ? 'some models have no price' : undefined),
    figure('Cache hits', percent(t.cacheHitShare), savedText, cache ?? undefined),
    figure(
      'Answer latency',
      q.p50 === null ? '–' : `p50 ${formatLatency(q.p50)}`,
      q.p95 === null ? undefined : `p95 ${formatLatency(q.p95)}`,
    ),
    figure('Error rate', percent(errors)),
  );
}

function budget(report: UsageReport): HTMLElement | null {
  const b = report.budget;
  if (!b) return null;
  const words = `${formatCost(b.spentUsd)}${b.spentIncomplete ? '+' : ''} of ${formatCost(b.budgetUsd)} spent in ${b.month} (${percent(b.share)})`;
  return h(
    'div',
    { class: `budget level-${b.level}`, role: 'group', 'aria-label': 'Monthly budget' },
    h(
      'div',
      { class: 'budget-text' },
      h('strong', {}, 'Monthly budget: '),
      words,
      b.level === 'exceeded' ? ' — over budget' : b.level === 'warn' ? ' — over 80 %' : '',
    ),
    shareBar(Math.min(1, b.share), words, `fill budget-${b.level}`),
    h('button', { type: 'button', class: 'link', 'data-action': 'open-settings' }, 'Change budget'),
  );
}

function dailyCharts(report: UsageReport): HTMLElement {
  const tokenBars: BarDatum[] = report.days.map((d) => ({
    label: shortDay(d.day),
    title: d.day,
    values: {
      input: d.inputTokens,
      cacheRead: d.cacheReadInputTokens,
      cacheWrite: d.cacheWriteInputTokens,
      output: d.outputTokens,
      embedding: d.embeddingTokens,
    },
  }));
  const costBars: BarDatum[] = report.days.map((d) => ({
    label: shortDay(d.day),
    title: d.costUsd === null && d.requests > 0 ? `${d.day} (cost unknown)` : d.costComplete ? d.day : `${d.day} (some costs unknown)`,
    values: { cost: d.costUsd ?? 0 },
    ...(d.requests > 0 && !d.costComplete ? { mark: 'partial', marker: '?' } : {}),
  }));
  const totalTokens = report.days.reduce((s, d) => s + d.totalTokens, 0);
  return h(
    'div',
    { class: 'charts' },
    section(
      'Tokens per day',
      'h-tokens',
      stackedBarChart(tokenBars, {
        series: TOKEN_SERIES,
        format: compactCount,
        label: `Tokens per day, ${report.days.length} days, ${formatCount(totalTokens)} in total`,
        className: 'tokens-chart',
      }),
      legend(TOKEN_SERIES),
    ),
    section(
      'Estimated cost per day',
      'h-cost',
      stackedBarChart(costBars, {
        series: COST_SERIES,
        format: (v) => (v === 0 ? '$0' : formatCost(v)),
        label: `Estimated cost per day, ${costText(report.total)} in total`,
        className: 'cost-chart',
      }),
      report.days.some((d) => d.requests > 0 && !d.costComplete)
        ? h('p', { class: 'note' }, 'Bars marked ? are lower bounds: some calls that day have no known price.')
        : null,
    ),
  );
}

function models(report: UsageReport): HTMLElement {
  const maxCost = Math.max(0, ...report.models.map((m) => m.costUsd ?? 0));
  const rows = report.models.map((m) => [
    h('code', {}, m.modelId),
    formatCount(m.requests),
    formatCount(m.inputTokens),
    formatCount(m.cacheReadInputTokens),
    formatCount(m.cacheWriteInputTokens),
    formatCount(m.outputTokens),
    formatCount(m.embeddingTokens),
    percent(m.cacheHitShare),
    h(
      'span',
      { class: 'cost-cell' },
      maxCost > 0 && m.costUsd !== null
        ? shareBar(m.costUsd / maxCost, `${costText(m)} of the most expensive model's ${formatCost(maxCost)}`, 'fill series-cost')
        : null,
      costText(m),
    ),
  ]);
  return section(
    'By model',
    'h-models',
    table(
      'Usage by model',
      ['Model', 'Calls', 'Input', 'Cache read', 'Cache write', 'Output', 'Embedding', 'Cache hits', 'Cost'],
      rows,
      'models-table',
    ),
  );
}

const KIND_LABELS: Record<string, string> = {
  question: 'Questions',
  indexing: 'Indexing',
  eval: 'Eval runs',
  compare: 'Model comparisons',
};

function kinds(report: UsageReport): HTMLElement {
  const rows = report.kinds
    .filter((k) => k.requests > 0)
    .map((k) => [
      KIND_LABELS[k.kind] ?? k.kind,
      formatCount(k.requests),
      k.latency.p50 === null ? '–' : formatLatency(k.latency.p50),
      k.latency.p95 === null ? '–' : formatLatency(k.latency.p95),
      percent(k.errorRate),
      k.errorsByCode.length ? k.errorsByCode.map((e) => `${e.code} ×${e.count}`).join(', ') : '–',
      costText(k),
    ]);
  return section(
    'Latency and errors by kind',
    'h-kinds',
    table(
      'Latency percentiles and error rates by kind of call',
      ['Kind', 'Calls', 'p50', 'p95', 'Error rate', 'Errors by code', 'Cost'],
      rows,
      'kinds-table',
    ),
  );
}

function days(report: UsageReport): HTMLElement {
  const rows = [...report.days]
    .reverse()
    .filter((d) => d.requests > 0)
    .map((d) => [
      d.day,
      formatCount(d.requests),
      formatCount(inputSide(d)),
      formatCount(d.outputTokens),
      formatCount(d.embeddingTokens),
      percent(d.cacheHitShare),
      formatCount(d.errors),
      costText(d),
    ]);
  return h(
    'details',
    { class: 'section days' },
    h('summary', {}, `Daily table (${rows.length} ${rows.length === 1 ? 'day' : 'days'} with usage)`),
    table(
      'Usage per day, newest first',
      ['Day', 'Calls', 'Input', 'Output', 'Embedding', 'Cache hits', 'Errors', 'Cost'],
      rows,
      'days-table',
    ),
  );
}

/** The whole report body; an empty range shows a short explanation instead of empty charts. */
export function renderReport(report: UsageReport): HTMLElement {
  const notes = [
    `Costs are estimates from list prices checked ${report.catalogDate || 'recently'}; AWS bills may differ (Regions, discounts).`,
    report.unreadableLines > 0 ? `${report.unreadableLines} unreadable line(s) in the usage log were skipped.` : '',
  ].filter(Boolean);
  if (report.total.requests === 0) {
    return h(
      'div',
      { class: 'report' },
      budget(report),
      h('p', { class: 'empty' }, 'No usage recorded in this period. Ask a question or index the workspace, and it shows here.'),
      ...notes.map((n) => h('p', { class: 'note' }, n)),
    );
  }
  return h(
    'div',
    { class: 'report' },
    budget(report),
    summary(report),
    dailyCharts(report),
    models(report),
    kinds(report),
    days(report),
    ...notes.map((n) => h('p', { class: 'note' }, n)),
  );
}
