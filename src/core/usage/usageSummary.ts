/**
 * Aggregates usage records for the status bar, the usage report and `bedrock-docs usage`: totals
 * for the session, today, by day, by model and by kind; cache-hit share and cache savings; latency
 * percentiles; error rates. Costs add up only over priced records: `costComplete` says whether any
 * record's cost was unknown, and a total with no priced record is null, never 0.
 */
import type { CallPurpose } from '../ports';
import { roundUsd } from './cost';
import type { UsageKind, UsageRecord } from './usageRecord';
import { USAGE_KINDS } from './usageRecord';

/** Sums over a set of records (tokens; USD for cost). */
export interface UsageTotals {
  /** Records counted (calls). */
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  embeddingTokens: number;
  /** All chat and embedding tokens. */
  totalTokens: number;
  /** USD over the priced records; null when none was priced but some had tokens. */
  costUsd: number | null;
  /** False when some record's cost was unknown (then costUsd is a lower bound). */
  costComplete: boolean;
  /** Share of input-side tokens read from the cache (0-1), or null with no input tokens. */
  cacheHitShare: number | null;
}

/** The totals of one purpose, and of each model called for it. */
export interface PurposeTotals extends UsageTotals {
  purpose: CallPurpose;
  byModel: Array<{ modelId: string } & UsageTotals>;
}

/** Latency of successful calls. */
export interface LatencyStats {
  count: number;
  /** Milliseconds, nearest-rank percentiles; null with no samples. */
  p50: number | null;
  p95: number | null;
}

/** Everything the status bar, the usage report and `bedrock-docs usage` show. */
export interface UsageSummary {
  total: UsageTotals;
  session: UsageTotals;
  today: UsageTotals;
  /** Oldest day first. */
  byDay: Array<{ day: string } & UsageTotals>;
  /** Most expensive first, then by tokens. */
  byModel: Array<{ modelId: string } & UsageTotals>;
  byKind: Record<UsageKind, UsageTotals & { latency: LatencyStats; errorRate: number | null; errorsByCode: Record<string, number> }>;
  /** Why the calls were made, most expensive first, each with its models (most expensive first). */
  byPurpose: PurposeTotals[];
  /** Latency of questions (the calls a user waits for). */
  questionLatency: LatencyStats;
  /**
   * USD prompt caching saved on priced records versus paying plain input for the cached tokens:
   * reads at the input price instead of the read price, minus the write premium paid.
   */
  cacheSavingsUsd: number;
}

/** When "now", "today" and "this session" are, and how to price savings. */
export interface SummaryOptions {
  /** Now, ms since the epoch. */
  now: number;
  /** Records at or after this time (ms) count as the session. */
  sessionStart: number;
  /** The calendar day of a time; default: the local date as YYYY-MM-DD. */
  dayKey?: (timeMs: number) => string;
  /**
   * Per-record prices for cache savings: USD per 1k tokens of input, cache read and cache write.
   * Records whose model has no prices here add no savings.
   */
  pricesOf?: (modelId: string) => { inputPer1k?: number; cacheReadPer1k?: number; cacheWritePer1k?: number } | null | undefined;
}

/** The local calendar day of a time, YYYY-MM-DD. */
export function localDayKey(timeMs: number): string {
  const d = new Date(timeMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Nearest-rank percentile (p in 0-100) of unsorted values, or null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function latencyOf(records: readonly UsageRecord[]): LatencyStats {
  const ms = records.map((r) => r.latencyMs);
  return { count: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

/** Totals over any set of records. */
export function totalsOf(records: readonly UsageRecord[]): UsageTotals {
  const t = {
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    embeddingTokens: 0,
  };
  let cost = 0;
  let priced = 0;
  let unpriced = 0;
  for (const r of records) {
    t.requests += r.requests;
    if (r.errorCode) t.errors += r.requests;
    t.inputTokens += r.inputTokens;
    t.outputTokens += r.outputTokens;
    t.cacheReadInputTokens += r.cacheReadInputTokens;
    t.cacheWriteInputTokens += r.cacheWriteInputTokens;
    t.embeddingTokens += r.embeddingTokens;
    if (r.costUsd === null) unpriced++;
    else {
      priced++;
      cost += r.costUsd;
    }
  }
  const inputSide = t.inputTokens + t.cacheReadInputTokens + t.cacheWriteInputTokens;
  return {
    ...t,
    totalTokens: inputSide + t.outputTokens + t.embeddingTokens,
    costUsd: priced === 0 && unpriced > 0 ? null : roundUsd(cost),
    costComplete: unpriced === 0,
    cacheHitShare: inputSide === 0 ? null : t.cacheReadInputTokens / inputSide,
  };
}

function groupBy<K extends string>(records: readonly UsageRecord[], key: (r: UsageRecord) => K): Map<K, UsageRecord[]> {
  const groups = new Map<K, UsageRecord[]>();
  for (const r of records) {
    const k = key(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

function savingsOf(records: readonly UsageRecord[], pricesOf: SummaryOptions['pricesOf']): number {
  let saved = 0;
  for (const r of records) {
    if (r.costUsd === null || (r.cacheReadInputTokens === 0 && r.cacheWriteInputTokens === 0)) continue;
    const p = pricesOf?.(r.modelId);
    if (!p || p.inputPer1k === undefined) continue;
    // A count of zero needs no price; a missing price with tokens makes the record's savings unknown.
    if ((r.cacheReadInputTokens > 0 && p.cacheReadPer1k === undefined) || (r.cacheWriteInputTokens > 0 && p.cacheWritePer1k === undefined))
      continue;
    saved +=
      (r.cacheReadInputTokens * (p.inputPer1k - (p.cacheReadPer1k ?? 0)) +
        r.cacheWriteInputTokens * (p.inputPer1k - (p.cacheWritePer1k ?? 0))) /
      1000;
  }
  return roundUsd(saved);
}

/** Totals per model id, most expensive first, then by tokens. */
function modelTotals(records: readonly UsageRecord[]): Array<{ modelId: string } & UsageTotals> {
  return [...groupBy(records, (r) => r.modelId)]
    .map(([modelId, rs]) => ({ modelId, ...totalsOf(rs) }))
    .sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.totalTokens - a.totalTokens || a.modelId.localeCompare(b.modelId));
}

/** Everything the usage views show, from the ledger's records. */
export function summarizeUsage(records: readonly UsageRecord[], options: SummaryOptions): UsageSummary {
  const dayKey = options.dayKey ?? localDayKey;
  const today = dayKey(options.now);
  const byDay = [...groupBy(records, (r) => dayKey(r.time))]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, rs]) => ({ day, ...totalsOf(rs) }));
  const byModel = modelTotals(records);
  const byPurpose = [...groupBy(records, (r) => r.purpose)]
    .map(([purpose, rs]) => ({ purpose, ...totalsOf(rs), byModel: modelTotals(rs) }))
    .sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.requests - a.requests || a.purpose.localeCompare(b.purpose));
  const kinds = groupBy(records, (r) => r.kind);
  const byKind = Object.fromEntries(
    USAGE_KINDS.map((kind) => {
      const rs = kinds.get(kind) ?? [];
      const totals = totalsOf(rs);
      const errorsByCode: Record<string, number> = {};
      for (const r of rs) if (r.errorCode) errorsByCode[r.errorCode] = (errorsByCode[r.errorCode] ?? 0) + 1;
      return [
        kind,
        {
          ...totals,
          latency: latencyOf(rs.filter((r) => !r.errorCode)),
          errorRate: totals.requests ? totals.errors / totals.requests : null,
          errorsByCode,
        },
      ];
    }),
  ) as UsageSummary['byKind'];
  return {
    total: totalsOf(records),
    session: totalsOf(records.filter((r) => r.time >= options.sessionStart)),
    today: totalsOf(records.filter((r) => dayKey(r.time) === today)),
    byDay,
    byModel,
    byKind,
    byPurpose,
    questionLatency: latencyOf(records.filter((r) => r.purpose === 'question' && !r.errorCode)),
    cacheSavingsUsd: savingsOf(records, options.pricesOf),
  };
}
