/**
 * Adds up the calls made for one question (condensing, expansion, query embedding, rerank, the
 * answer, agent steps): what the chat footer, `ask --json` and the usage line show as the
 * question's cost. The meter fills it for every call given it, so nothing is counted by hand.
 */
import type { CallPurpose, TokenUsage, UsageTally } from '../ports';
import { addUsage, roundUsd } from '../usage/cost';

/** One question's (or one run's) calls added up. */
export interface TallyTotals {
  calls: number;
  usage: TokenUsage;
  embeddingTokens: number;
  /** USD; null when some call's price is unknown. */
  costUsd: number | null;
  byPurpose: Partial<Record<CallPurpose, number>>;
}

/** A tally that may forward each call to an outer one (a turn inside a run). */
export class CallTally implements UsageTally {
  private totals: TallyTotals = {
    calls: 0,
    usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    embeddingTokens: 0,
    costUsd: 0,
    byPurpose: {},
  };

  constructor(private readonly outer?: UsageTally) {}

  add(entry: Parameters<UsageTally['add']>[0]): void {
    const t = this.totals;
    this.totals = {
      calls: t.calls + 1,
      usage: addUsage(t.usage, entry.usage),
      embeddingTokens: t.embeddingTokens + entry.embeddingTokens,
      costUsd: t.costUsd === null || entry.costUsd === null ? null : roundUsd(t.costUsd + entry.costUsd),
      byPurpose: { ...t.byPurpose, [entry.purpose]: (t.byPurpose[entry.purpose] ?? 0) + 1 },
    };
    this.outer?.add(entry);
  }

  /** What was added so far. */
  get value(): TallyTotals {
    return this.totals;
  }
}
