/**
 * Builds the usage report from ledger records (extension side; pure, so it is unit-tested in
 * Node): the range's records summarised by day (dense, for charts), model and kind, the cache-hit
 * share and savings, latency percentiles, error rates, and this month against the budget.
 */
import { CATALOG_DATE } from '../core/models/catalogData';
import { checkBudget, monthOfDay, spentInMonth } from '../core/usage/budget';
import type { UsageRecord } from '../core/usage/usageRecord';
import { USAGE_KINDS } from '../core/usage/usageRecord';
import type { SummaryOptions, UsageTotals } from '../core/usage/usageSummary';
import { localDayKey, summarizeUsage, totalsOf } from '../core/usage/usageSummary';
import type { UsageRange, UsageReport } from './usageMessages';

/** When "now" is, how days are cut, and what the cache savings and budget are computed with. */
export interface UsageReportOptions {
  range: UsageRange;
  /** Ms since the epoch. */
  now: number;
  /** The calendar day of a time; default the local date (YYYY-MM-DD). */
  dayKey?: (timeMs: number) => string;
  /** Prices per model for cache savings (usagePricing.pricesLookup). */
  pricesOf?: SummaryOptions['pricesOf'];
  /** `bedrockDocs.usage.monthlyBudgetUsd`; null or absent: no budget. */
  budgetUsd?: number | null;
  /** Unreadable ledger lines, shown as a note. */
  unreadableLines?: number;
}

const RANGE_DAYS: Record<Exclude<UsageRange, 'all'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

// Noon of a local calendar day `offset` days from `time`: DST shifts never move it to another day.
function localNoon(time: number, offset: number): number {
  const d = new Date(time);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + offset, 12).getTime();
}

/** The calendar days from `fromTime`'s day to `toTime`'s day, inclusive, oldest first. */
export function daysBetween(fromTime: number, toTime: number, dayKey: (timeMs: number) => string = localDayKey): string[] {
  const last = dayKey(toTime);
  const days: string[] = [];
  // Bounded: ten years of days is far more than a ledger holds.
  for (let i = 0; i < 3660; i++) {
    const key = dayKey(localNoon(fromTime, i));
    if (key > last) break;
    days.push(key);
  }
  return days;
}

/** A time (ms) on the first day of a range ending today; 'all' starts at the oldest record. */
export function rangeStartTime(range: UsageRange, now: number, records: readonly UsageRecord[]): number {
  if (range !== 'all') return localNoon(now, -(RANGE_DAYS[range] - 1));
  let first = now;
  for (const r of records) if (r.time < first) first = r.time;
  return first;
}

/** The records of a range: from its first day on (later ones, from a skewed clock, too). */
export function recordsInRange(
  records: readonly UsageRecord[],
  range: UsageRange,
  now: number,
  dayKey: (timeMs: number) => string = localDayKey,
): UsageRecord[] {
  if (range === 'all') return [...records];
  const start = dayKey(rangeStartTime(range, now, records));
  return records.filter((r) => dayKey(r.time) >= start);
}

// The webview checks sizes: keep ids and codes from a hand-edited ledger within them.
const clip = (value: string, max: number) => (value === '' ? '(none)' : value.slice(0, max));

const ZERO: UsageTotals = totalsOf([]);

/** The report for one range, ready to post as `usage/report`. */
export function buildUsageReport(records: readonly UsageRecord[], options: UsageReportOptions): UsageReport {
  const dayKey = options.dayKey ?? localDayKey;
  const inRange = recordsInRange(records, options.range, options.now, dayKey);
  const summary = summarizeUsage(inRange, { now: options.now, sessionStart: options.now, dayKey, pricesOf: options.pricesOf });
  const byDay = new Map(summary.byDay.map((d) => [d.day, d]));
  const days = daysBetween(rangeStartTime(options.range, options.now, records), options.now, dayKey);
  // Days after today only exist when a record carries a future time; keep them visible.
  for (const d of summary.byDay) if (d.day > (days[days.length - 1] ?? '')) days.push(d.day);

  const month = monthOfDay(dayKey(options.now));
  const spent = spentInMonth(records, month, dayKey);
  const status = checkBudget({ budgetUsd: options.budgetUsd ?? null, spentUsd: spent.spentUsd, spentIncomplete: spent.incomplete });
  const budget =
    status.level === 'none' || status.budgetUsd === null
      ? null
      : {
          month,
          budgetUsd: status.budgetUsd,
          spentUsd: status.spentUsd,
          share: status.share ?? 0,
          spentIncomplete: status.spentIncomplete,
          level: status.level,
        };

  return {
    range: options.range,
    generatedAt: options.now,
    days: days.map((day) => {
      const { day: _day, ...totals } = byDay.get(day) ?? { day, ...ZERO };
      return { day, ...totals };
    }),
    total: summary.total,
    models: summary.byModel.map((m) => ({ ...m, modelId: clip(m.modelId, 2048) })),
    kinds: USAGE_KINDS.map((kind) => {
      const k = summary.byKind[kind];
      const errorsByCode = Object.entries(k.errorsByCode)
        .map(([code, n]) => ({ code: clip(code, 64), count: n }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
      return { kind, ...k, errorsByCode };
    }),
    questionLatency: summary.questionLatency,
    cacheSavingsUsd: summary.cacheSavingsUsd,
    budget,
    unreadableLines: options.unreadableLines ?? 0,
    catalogDate: CATALOG_DATE,
  };
}
