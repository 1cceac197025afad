/**
 * The one door every Bedrock call passes (see meteredPorts.ts, which puts it in front of each port):
 * before a call leaves, its text is redacted and the monthly budget is checked; after it returns or
 * fails, one usage record is written with its purpose, model, tokens, latency, cost and error code.
 * Callers cannot forget any of it: they only ever hold the metered ports.
 *
 * Many like calls (an index run's thousands of embedding calls) are summed into a few ledger lines,
 * each saying how many calls it stands for, so `requests` still equals the calls made.
 */
import { BedrockDocsError, isCancellation } from '../errors';
import type { ModelInfo, ModelOverrides } from '../models/catalog';
import { lookupModel } from '../models/catalog';
import type { CallPurpose, TokenUsage } from '../ports';
import { roundUsd } from '../usage/cost';
import type { UsageRecord } from '../usage/usageRecord';
import { makeUsageRecord } from '../usage/usageRecord';

/** What the meter reads from the settings on every call (so a change applies at once). */
export interface CallMeterSettings {
  /** `usage.monthlyBudgetUsd`; null or <= 0: no budget. */
  budgetUsd: number | null;
  /** `models.*`: window and prices for ids the catalog does not know. */
  overrides: ModelOverrides;
}

/** Asked before a call once spending is at or over the budget, or this call would take it over. */
export interface OverBudgetQuestion {
  /** YYYY-MM */
  month: string;
  budgetUsd: number;
  /** USD spent this month over priced calls. */
  spentUsd: number;
  /** Some call's cost was unknown: spentUsd is a lower bound. */
  spentIncomplete: boolean;
  /** Upper-bound USD of the call about to be made, or null when unknown. */
  estimateUsd: number | null;
  purpose: CallPurpose;
  modelId: string;
  alreadyExceeded: boolean;
}

/** What the host gives the meter: the ledger, the month's spending, and the user's consent. */
export interface CallMeterHost {
  /** Appends a finished call (or a sum of like calls) to the ledger. Must not throw. */
  record(record: UsageRecord): void | Promise<void>;
  /** Resolves when `monthSpend` knows the ledger's earlier records (it may be read in the background). */
  ready?(): Promise<void>;
  /** Priced spending of the month of `now` as the ledger knows it (records already given included). */
  monthSpend(now: number): { month: string; spentUsd: number; incomplete: boolean };
  /**
   * Whether calls may go over the budget. The extension asks the user (once per session); the CLI
   * answers from a flag. A yes holds for the rest of this meter's life.
   */
  consentOverBudget(question: OverBudgetQuestion): Promise<boolean>;
  /** A call started / ended (the status bar's spinner). */
  callStarted?(purpose: CallPurpose): void;
  callEnded?(purpose: CallPurpose): void;
}

/** A call as the meter prices it after it returned (or failed). */
export interface FinishedCall {
  purpose: CallPurpose;
  modelId: string;
  usage?: TokenUsage;
  embeddingTokens?: number;
  /** A price the port computed itself (rerank: per query); otherwise the model's token prices. */
  costUsd?: number | null;
  latencyMs: number;
  errorCode?: string;
  /** Bedrock reported no usage: the tokens are the local estimate. */
  estimated?: boolean;
  estimatedInputTokens?: number;
}

/** Purposes whose calls come by the thousand: summed into one ledger line per SUM_EVERY calls. */
const SUMMED: ReadonlySet<CallPurpose> = new Set<CallPurpose>(['indexEmbedding', 'contextualBlurb']);
const SUM_EVERY = 100;

const NO_TOKENS: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

function addRecords(a: UsageRecord, b: UsageRecord): UsageRecord {
  return {
    ...a,
    time: Math.max(a.time, b.time),
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheWriteInputTokens: a.cacheWriteInputTokens + b.cacheWriteInputTokens,
    embeddingTokens: a.embeddingTokens + b.embeddingTokens,
    latencyMs: a.latencyMs + b.latencyMs,
    costUsd: a.costUsd === null || b.costUsd === null ? null : roundUsd(a.costUsd + b.costUsd),
    ...(a.estimated || b.estimated ? { estimated: true } : {}),
  };
}

/** The budget, the ledger and redaction for every call of one session (a CLI run, an extension window). */
export class CallMeter {
  private consented = false;
  private asking: Promise<boolean> | undefined;
  private readonly pending = new Map<string, UsageRecord>();
  private pendingUsd = 0;
  private readonly models = new Map<string, ModelInfo>();
  private lastOverrides: ModelOverrides | undefined;

  constructor(
    private readonly options: {
      host: CallMeterHost;
      settings: () => CallMeterSettings;
      /** The current redactor (redaction settings apply at once, like every other). */
      redact: () => (text: string) => string;
      /** Runs once before the first call (the host loads its redaction salt). */
      prepare?: () => Promise<void>;
      now?: () => number;
    },
  ) {}

  private prepared: Promise<void> | undefined;

  /** Resolves when the redactor is ready (its salt loaded); every metered call awaits it first. */
  ready(): Promise<void> {
    this.prepared ??= this.options.prepare?.() ?? Promise.resolve();
    return this.prepared;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Redacts one text that is about to leave the machine. */
  redact(text: string): string {
    return this.options.redact()(text);
  }

  /** The model as the catalog and the `models.*` overrides resolve it (cached per settings). */
  model(modelId: string): ModelInfo {
    const overrides = this.options.settings().overrides;
    if (overrides !== this.lastOverrides) {
      this.models.clear();
      this.lastOverrides = overrides;
    }
    let info = this.models.get(modelId);
    if (!info) {
      info = lookupModel(modelId, overrides);
      this.models.set(modelId, info);
    }
    return info;
  }

  /**
   * Before a call: resolves when it may go, throws BUDGET_EXCEEDED when the month's budget is spent
   * (or this call would cross it) and the host does not consent. Concurrent calls share one question.
   */
  async admit(purpose: CallPurpose, modelId: string, estimateUsd: number | null): Promise<void> {
    const { budgetUsd } = this.options.settings();
    if (budgetUsd === null || !(budgetUsd > 0) || this.consented) return;
    await this.options.host.ready?.();
    const spend = this.options.host.monthSpend(this.now());
    const spentUsd = roundUsd(spend.spentUsd + this.pendingUsd);
    const alreadyExceeded = spentUsd >= budgetUsd;
    const wouldExceed = !alreadyExceeded && estimateUsd !== null && roundUsd(spentUsd + estimateUsd) > budgetUsd;
    if (!alreadyExceeded && !wouldExceed) return;
    const question: OverBudgetQuestion = {
      month: spend.month,
      budgetUsd,
      spentUsd,
      spentIncomplete: spend.incomplete,
      estimateUsd,
      purpose,
      modelId,
      alreadyExceeded,
    };
    this.asking ??= this.options.host.consentOverBudget(question).finally(() => (this.asking = undefined));
    if (await this.asking) {
      this.consented = true;
      return;
    }
    throw new BedrockDocsError(
      'BUDGET_EXCEEDED',
      alreadyExceeded
        ? `The monthly budget is spent: $${spentUsd.toFixed(2)} of $${budgetUsd.toFixed(2)} in ${spend.month}; nothing was sent to Bedrock.`
        : `This call (up to $${estimateUsd!.toFixed(4)}) would take ${spend.month}'s spending ($${spentUsd.toFixed(2)}) over the $${budgetUsd.toFixed(2)} budget; nothing was sent.`,
      'Raise bedrockDocs.usage.monthlyBudgetUsd (or clear it), or allow going over it for this run (CLI: --over-budget).',
    );
  }

  /** Marks a call as under way (the host's spinner); pair with `finish`. */
  started(purpose: CallPurpose): void {
    this.options.host.callStarted?.(purpose);
  }

  /** Prices and records a finished (or failed) call; returns its record. */
  finish(call: FinishedCall): UsageRecord {
    this.options.host.callEnded?.(call.purpose);
    const record = makeUsageRecord({
      time: this.now(),
      purpose: call.purpose,
      model: this.model(call.modelId),
      usage: call.usage ?? NO_TOKENS,
      embeddingTokens: call.embeddingTokens ?? 0,
      latencyMs: Math.max(0, Math.round(call.latencyMs)),
      ...(call.costUsd !== undefined ? { costUsd: call.costUsd } : {}),
      ...(call.errorCode ? { errorCode: call.errorCode } : {}),
      ...(call.estimated ? { estimated: true } : {}),
      ...(call.estimatedInputTokens !== undefined ? { estimatedInputTokens: call.estimatedInputTokens } : {}),
    });
    if (!SUMMED.has(call.purpose)) {
      void this.options.host.record(record);
      return record;
    }
    const key = `${record.purpose}\u0000${record.modelId}\u0000${record.errorCode ?? ''}`;
    const sum = this.pending.get(key);
    const next = sum ? addRecords(sum, record) : record;
    this.pendingUsd = roundUsd(this.pendingUsd + (record.costUsd ?? 0));
    if (next.requests >= SUM_EVERY) {
      this.pending.delete(key);
      this.pendingUsd = roundUsd(this.pendingUsd - (next.costUsd ?? 0));
      void this.options.host.record(next);
    } else {
      this.pending.set(key, next);
    }
    return record;
  }

  /** Writes the summed lines not written yet (call at the end of an index run and on dispose). */
  flush(): void {
    for (const record of this.pending.values()) void this.options.host.record(record);
    this.pending.clear();
    this.pendingUsd = 0;
  }
}

/** The error code a failed call is recorded with (a cancel is CANCELLED). */
export function errorCodeOf(err: unknown): string {
  if (isCancellation(err)) return 'CANCELLED';
  return err instanceof BedrockDocsError ? err.code : 'UNKNOWN';
}
