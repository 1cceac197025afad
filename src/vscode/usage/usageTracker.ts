/**
 * The extension's usage service: every model call's record goes through `record`, which appends
 * it to the ledger, refreshes the status bar, warns once a month when spending reaches 80 % of the
 * budget, and hands it to CloudWatch when that is on. `confirmBeforeRequest` asks before a request
 * that would take the month over the budget. No `vscode` import: the prompts, the status bar and
 * the memory of "already warned this month" are ports, so the rules are unit-tested in Node.
 */
import type { ModelOverrides } from '../../core/models/catalog';
import { CATALOG_DATE } from '../../core/models/catalogData';
import { describeError } from '../../core/errors';
import type { CallMeterHost, OverBudgetQuestion } from '../../core/metering/callMeter';
import type { CallPurpose, Clock, Logger } from '../../core/ports';
import type { BudgetStatus } from '../../core/usage/budget';
import { checkBudget, monthOfDay, spentInMonth } from '../../core/usage/budget';
import type { UsageRecord } from '../../core/usage/usageRecord';
import { localDayKey, summarizeUsage, totalsOf } from '../../core/usage/usageSummary';
import type { MetricsSink } from '../../node/usage/cloudWatchPublisher';
import type { UsageCall } from '../../node/usage/usagePricing';
import { estimateRequestUsd, priceUsageCall, pricesLookup } from '../../node/usage/usagePricing';
import type { UsageLedger } from '../../node/usage/usageStore';
import type { UsageRange, UsageReport } from '../../usageview/usageMessages';
import { buildUsageReport, recordsInRange } from '../../usageview/usageReport';
import type { UsageStatusModel } from './usageStatusText';
import { usageStatusModel } from './usageStatusText';

/** Spending has reached the warning share (80 %) of the month's budget. */
export interface BudgetWarning {
  /** YYYY-MM */
  month: string;
  budgetUsd: number;
  spentUsd: number;
  /** spent / budget */
  share: number;
  /** Some call's cost was unknown: spentUsd is a lower bound. */
  spentIncomplete: boolean;
}

/** A request may take spending over the budget (or it already is over). */
export interface BudgetQuestion extends BudgetWarning {
  /** Upper-bound USD of the request, or null when its price is unknown. */
  estimateUsd: number | null;
  alreadyExceeded: boolean;
}

/** send: this once; sendForMonth: and stop asking until next month; cancel: do not send. */
export type BudgetAnswer = 'send' | 'sendForMonth' | 'cancel';

/** The budget's two prompts; the extension shows them with vscode.window, tests fake them. */
export interface BudgetPrompt {
  /** A non-modal warning; it must not block the caller. */
  warn(warning: BudgetWarning): void;
  /** A modal question before a request; resolves to the user's answer (dismissed = cancel). */
  confirm(question: BudgetQuestion): Promise<BudgetAnswer>;
}

/** Where the tracker shows itself (the status bar item). */
export interface UsageStatusView {
  show(model: UsageStatusModel): void;
}

/** Memento-shaped storage that outlives a window (the extension passes `globalState`). */
export interface KeyValueMemory {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** The settings the tracker reads on every use. */
export interface UsageTrackerSettings {
  /** `usage.monthlyBudgetUsd`; null: no budget. */
  budgetUsd: number | null;
  /** `models.*` overrides for models the catalog does not know. */
  overrides: ModelOverrides;
}

/** The tracker's ports. */
export interface UsageTrackerDeps {
  ledger: UsageLedger;
  prompt: BudgetPrompt;
  memory: KeyValueMemory;
  logger: Logger;
  settings: () => UsageTrackerSettings;
  view?: UsageStatusView;
  metrics?: MetricsSink;
  clock?: Clock;
  /** Calendar day of a time; default the local date. */
  dayKey?: (timeMs: number) => string;
}

/** globalState key: the month (YYYY-MM) the 80 % warning was last shown. */
export const WARNED_MONTH_KEY = 'bedrockDocs.usage.budgetWarnedMonth';
/** globalState key: the month (YYYY-MM) the user chose "don't ask again" before requests. */
export const CONFIRMED_MONTH_KEY = 'bedrockDocs.usage.budgetConfirmedMonth';

// Calls of these purposes are the ones a user waits for: the status bar spins while they run.
const WAITED_FOR: ReadonlySet<CallPurpose> = new Set<CallPurpose>(['question', 'followUp', 'agentStep', 'compare', 'evalAnswer']);

/**
 * Records usage, keeps the status bar current and applies the monthly budget. It is the
 * extension's CallMeterHost: every metered Bedrock call of the window reports here.
 */
export class UsageTracker implements CallMeterHost {
  /** Ms since the epoch when this window's session began. */
  readonly sessionStart: number;
  private records: UsageRecord[] = [];
  private unreadable = 0;
  private readonly loaded: Promise<void>;
  private running = 0;
  private lastLatencyMs: number | null = null;
  private appendFailed = false;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly dayKey: (timeMs: number) => string;

  constructor(private readonly deps: UsageTrackerDeps) {
    this.now = deps.clock ? () => deps.clock!.now() : Date.now;
    this.dayKey = deps.dayKey ?? localDayKey;
    this.sessionStart = this.now();
    this.loaded = this.load();
  }

  private async load(): Promise<void> {
    try {
      const log = await this.deps.ledger.read();
      // Records made while the ledger was being read come after the ones read.
      this.records = [...log.records, ...this.records];
      this.unreadable = log.skippedLines + (log.tornTail ? 1 : 0);
      if (this.unreadable > 0) this.deps.logger.warn(`usage log: ${this.unreadable} unreadable line(s) skipped`);
    } catch (err) {
      this.deps.logger.warn(`usage log could not be read; usage from earlier sessions is left out: ${describeError(err)}`);
    }
    this.refresh();
  }

  /** Resolves once the ledger has been read (records made before are kept too). */
  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  /** Every record known, oldest first. */
  get allRecords(): readonly UsageRecord[] {
    return this.records;
  }

  /** Calls `listener` after each record and each settings change; returns its unsubscribe. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Appends, shows and publishes one finished (or failed) call; never throws. */
  async record(record: UsageRecord): Promise<void> {
    await this.loaded;
    this.records.push(record);
    if (record.purpose === 'question' && !record.errorCode) this.lastLatencyMs = record.latencyMs;
    try {
      await this.deps.ledger.append(record);
      this.appendFailed = false;
    } catch (err) {
      // Once per run of failures: a full disk should not flood the log.
      if (!this.appendFailed) this.deps.logger.warn(`usage log: could not append a record: ${describeError(err)}`);
      this.appendFailed = true;
    }
    try {
      this.deps.metrics?.add(record);
    } catch (err) {
      this.deps.logger.debug(`usage metrics: ${describeError(err)}`);
    }
    this.deps.logger.debug(
      `usage: ${record.kind} ${record.modelId} in=${record.inputTokens} out=${record.outputTokens} cacheRead=${record.cacheReadInputTokens} cacheWrite=${record.cacheWriteInputTokens} embed=${record.embeddingTokens} ${record.latencyMs}ms cost=${record.costUsd ?? 'unknown'}${record.errorCode ? ` error=${record.errorCode}` : ''}`,
    );
    await this.checkWarning();
    this.changed();
  }

  /** Prices a finished call with the catalog and the `models.*` overrides, then records it. */
  async recordCall(call: UsageCall): Promise<UsageRecord> {
    const record = priceUsageCall(call, this.deps.settings().overrides, this.now);
    await this.record(record);
    return record;
  }

  /** Upper-bound USD of a request (prompt tokens at the input price, maxTokens at the output price); null if unpriced. */
  estimateUsd(modelId: string, tokens: { inputTokens: number; maxOutputTokens: number }): number | null {
    return estimateRequestUsd(modelId, tokens, this.deps.settings().overrides);
  }

  /** This month's spending against the budget, optionally with a request's estimate (USD). */
  budgetStatus(estimateUsd?: number | null): BudgetStatus & { month: string } {
    const month = monthOfDay(this.dayKey(this.now()));
    const spent = spentInMonth(this.records, month, this.dayKey);
    return {
      month,
      ...checkBudget({
        budgetUsd: this.deps.settings().budgetUsd,
        spentUsd: spent.spentUsd,
        spentIncomplete: spent.incomplete,
        estimateUsd,
      }),
    };
  }

  /**
   * Before a request: true to go ahead. Asks (modal) when the request's estimate would take this
   * month over the budget, or spending already is over it, unless the user chose "don't ask again"
   * this month. Without a budget, or under it, resolves true without asking.
   */
  async confirmBeforeRequest(estimateUsd: number | null): Promise<boolean> {
    await this.loaded;
    const status = this.budgetStatus(estimateUsd);
    if (status.budgetUsd === null) return true;
    const alreadyExceeded = status.level === 'exceeded';
    if (!status.wouldExceed && !alreadyExceeded) return true;
    if (this.deps.memory.get<string>(CONFIRMED_MONTH_KEY) === status.month) return true;
    const answer = await this.deps.prompt.confirm({
      month: status.month,
      budgetUsd: status.budgetUsd,
      spentUsd: status.spentUsd,
      share: status.share ?? 0,
      spentIncomplete: status.spentIncomplete,
      estimateUsd,
      alreadyExceeded,
    });
    if (answer === 'sendForMonth') await this.deps.memory.update(CONFIRMED_MONTH_KEY, status.month);
    return answer !== 'cancel';
  }

  /** CallMeterHost: priced spending of the month of `now`. */
  monthSpend(now: number): { month: string; spentUsd: number; incomplete: boolean } {
    const month = monthOfDay(this.dayKey(now));
    const { spentUsd, incomplete } = spentInMonth(this.records, month, this.dayKey);
    return { month, spentUsd, incomplete };
  }

  /** CallMeterHost: resolves once the ledger is read (the month's spending is then known). */
  ready(): Promise<void> {
    return this.loaded;
  }

  /**
   * CallMeterHost: asks (modal, with the figures) whether to go over the budget, unless the user
   * chose "don't ask again" this month. The meter asks at most once per window until a yes.
   */
  async consentOverBudget(question: OverBudgetQuestion): Promise<boolean> {
    await this.loaded;
    if (this.deps.memory.get<string>(CONFIRMED_MONTH_KEY) === question.month) return true;
    const answer = await this.deps.prompt.confirm({
      month: question.month,
      budgetUsd: question.budgetUsd,
      spentUsd: question.spentUsd,
      share: question.spentUsd / question.budgetUsd,
      spentIncomplete: question.spentIncomplete,
      estimateUsd: question.estimateUsd,
      alreadyExceeded: question.alreadyExceeded,
    });
    if (answer === 'sendForMonth') await this.deps.memory.update(CONFIRMED_MONTH_KEY, question.month);
    return answer !== 'cancel';
  }

  /** CallMeterHost: a call started (the status bar spins for the calls a user waits for). */
  callStarted(purpose: CallPurpose): void {
    if (WAITED_FOR.has(purpose)) this.beginRequest();
  }

  /** CallMeterHost: a call ended. */
  callEnded(purpose: CallPurpose): void {
    if (WAITED_FOR.has(purpose)) this.endRequest();
  }

  /** A request started: the status bar spins until the matching endRequest. */
  beginRequest(): void {
    this.running++;
    this.refresh();
  }

  /** A request ended (call it in `finally`). */
  endRequest(): void {
    this.running = Math.max(0, this.running - 1);
    this.refresh();
  }

  /** The report for the usage panel. */
  report(range: UsageRange): UsageReport {
    const settings = this.deps.settings();
    return buildUsageReport(this.records, {
      range,
      now: this.now(),
      dayKey: this.dayKey,
      pricesOf: pricesLookup(settings.overrides),
      budgetUsd: settings.budgetUsd,
      unreadableLines: this.unreadable,
    });
  }

  /** Records of a range, oldest first (CSV export). */
  recordsIn(range: UsageRange): UsageRecord[] {
    return recordsInRange(this.records, range, this.now(), this.dayKey);
  }

  /** Settings changed: re-price the status and re-check the budget warning. */
  async settingsChanged(): Promise<void> {
    await this.loaded;
    await this.checkWarning();
    this.changed();
  }

  /** The status bar's current model (also what the view was last given). */
  statusModel(): UsageStatusModel {
    const now = this.now();
    const today = this.dayKey(now);
    const session = this.records.filter((r) => r.time >= this.sessionStart);
    const todays = this.records.filter((r) => this.dayKey(r.time) === today);
    const summary = summarizeUsage(session, {
      now,
      sessionStart: this.sessionStart,
      dayKey: this.dayKey,
      pricesOf: pricesLookup(this.deps.settings().overrides),
    });
    const budget = this.budgetStatus();
    return usageStatusModel({
      session: summary.session,
      today: totalsOf(todays),
      todayIndexing: totalsOf(todays.filter((r) => r.kind === 'indexing')),
      sessionByModel: summary.byModel,
      sessionCacheSavingsUsd: summary.cacheSavingsUsd,
      running: this.running,
      lastLatencyMs: this.lastLatencyMs,
      budget: budget.budgetUsd === null ? null : budget,
      catalogDate: CATALOG_DATE,
    });
  }

  private refresh(): void {
    try {
      this.deps.view?.show(this.statusModel());
    } catch (err) {
      this.deps.logger.debug(`usage status: ${describeError(err)}`);
    }
  }

  private changed(): void {
    this.refresh();
    for (const listener of [...this.listeners]) listener();
  }

  // At most one warning per calendar month, remembered across windows and restarts.
  private async checkWarning(): Promise<void> {
    const status = this.budgetStatus();
    if (status.budgetUsd === null || (status.level !== 'warn' && status.level !== 'exceeded')) return;
    if (this.deps.memory.get<string>(WARNED_MONTH_KEY) === status.month) return;
    await this.deps.memory.update(WARNED_MONTH_KEY, status.month);
    this.deps.prompt.warn({
      month: status.month,
      budgetUsd: status.budgetUsd,
      spentUsd: status.spentUsd,
      share: status.share ?? 0,
      spentIncomplete: status.spentIncomplete,
    });
  }
}
