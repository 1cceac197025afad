import assert from 'node:assert/strict';
import { purposeOfKind } from '../../src/core/usage/usageRecord';
import type { Logger } from '../../src/core/ports';
import type { ParsedUsageLog } from '../../src/core/usage/usageLog';
import type { UsageRecord } from '../../src/core/usage/usageRecord';
import type { MetricsSink } from '../../src/node/usage/cloudWatchPublisher';
import type { UsageLedger } from '../../src/node/usage/usageStore';
import type { UsageStatusModel } from '../../src/vscode/usage/usageStatusText';
import type {
  BudgetAnswer,
  BudgetPrompt,
  BudgetQuestion,
  BudgetWarning,
  KeyValueMemory,
  UsageTrackerSettings,
} from '../../src/vscode/usage/usageTracker';
import { CONFIRMED_MONTH_KEY, UsageTracker, WARNED_MONTH_KEY } from '../../src/vscode/usage/usageTracker';

const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const ARN = 'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123';

class MemoryLedger implements UsageLedger {
  records: UsageRecord[] = [];
  fail = false;
  appends = 0;
  constructor(
    initial: UsageRecord[] = [],
    private readonly extra: Partial<ParsedUsageLog> = {},
  ) {
    this.records = [...initial];
  }
  async append(record: UsageRecord): Promise<void> {
    this.appends++;
    if (this.fail) throw new Error('ENOSPC: no space left on device');
    this.records.push(record);
  }
  async read(): Promise<ParsedUsageLog> {
    return { records: [...this.records], skippedLines: 0, tornTail: false, ...this.extra };
  }
}

class FakePrompt implements BudgetPrompt {
  warnings: BudgetWarning[] = [];
  questions: BudgetQuestion[] = [];
  answers: BudgetAnswer[] = [];
  warn(w: BudgetWarning): void {
    this.warnings.push(w);
  }
  async confirm(q: BudgetQuestion): Promise<BudgetAnswer> {
    this.questions.push(q);
    return this.answers.shift() ?? 'cancel';
  }
}

class MapMemory implements KeyValueMemory {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.map.set(key, value);
  }
}

function captureLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { lines, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// Local times, so the tracker's local calendar days and months are the ones written here.
const jan = (day: number, hour = 10) => new Date(2026, 0, day, hour).getTime();
const feb = (day: number, hour = 10) => new Date(2026, 1, day, hour).getTime();

function record(over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    time: jan(10),
    kind: 'question',
    requests: 1,
    modelId: HAIKU,
    inputTokens: 1000,
    outputTokens: 100,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    embeddingTokens: 0,
    latencyMs: 1500,
    costUsd: 0.1,
    ...over,
    purpose: over.purpose ?? purposeOfKind(over.kind ?? 'question'),
  };
}

function setup(
  options: {
    budgetUsd?: number | null;
    initial?: UsageRecord[];
    now?: number;
    memory?: MapMemory;
    overrides?: UsageTrackerSettings['overrides'];
  } = {},
) {
  const clock = { t: options.now ?? jan(10, 9) };
  const ledger = new MemoryLedger(options.initial);
  const prompt = new FakePrompt();
  const memory = options.memory ?? new MapMemory();
  const shown: UsageStatusModel[] = [];
  const published: UsageRecord[] = [];
  const metrics: MetricsSink = { add: (r) => void published.push(r), flush: async () => undefined, dispose: async () => undefined };
  const settings: UsageTrackerSettings = { budgetUsd: options.budgetUsd ?? null, overrides: options.overrides ?? {} };
  const logger = captureLog();
  const tracker = new UsageTracker({
    ledger,
    prompt,
    memory,
    logger,
    settings: () => settings,
    view: { show: (m) => void shown.push(m) },
    metrics,
    clock: { now: () => clock.t },
  });
  return { tracker, ledger, prompt, memory, shown, published, settings, logger, clock };
}

describe('UsageTracker', () => {
  it('warns once when the month reaches 80 % of the budget, not again that month (restarts included), and again the next month', async () => {
    const memory = new MapMemory();
    const { tracker, prompt, clock } = setup({ budgetUsd: 1, memory });
    await tracker.record(record({ costUsd: 0.5 }));
    await tracker.record(record({ costUsd: 0.25 }));
    assert.equal(prompt.warnings.length, 0, '75 % is below the line');
    await tracker.record(record({ costUsd: 0.05 }));
    assert.deepEqual(prompt.warnings, [{ month: '2026-01', budgetUsd: 1, spentUsd: 0.8, share: 0.8, spentIncomplete: false }]);
    await tracker.record(record({ costUsd: 0.5 }));
    assert.equal(prompt.warnings.length, 1, 'no second warning in January, not even over 100 %');
    assert.equal(memory.get(WARNED_MONTH_KEY), '2026-01');

    const restarted = setup({ budgetUsd: 1, memory, initial: [record({ costUsd: 1.3 })] });
    await restarted.tracker.record(record({ costUsd: 0.01 }));
    assert.equal(restarted.prompt.warnings.length, 0, 'a new window remembers the month was warned');

    clock.t = feb(3);
    await tracker.record(record({ time: feb(3), costUsd: 0.9 }));
    assert.equal(prompt.warnings.length, 2);
    assert.equal(prompt.warnings[1]!.month, '2026-02');
    assert.equal(prompt.warnings[1]!.spentUsd, 0.9, 'January does not count in February');
  });

  it('never warns without a budget, and says when unknown costs make the spending a lower bound', async () => {
    const none = setup({ budgetUsd: null });
    await none.tracker.record(record({ costUsd: 500 }));
    assert.equal(none.prompt.warnings.length, 0);
    const partial = setup({ budgetUsd: 1 });
    await partial.tracker.record(record({ costUsd: null, modelId: ARN }));
    await partial.tracker.record(record({ costUsd: 0.9 }));
    assert.equal(partial.prompt.warnings[0]?.spentIncomplete, true);
  });

  it('asks before a request only when it would cross the budget (or the month is over it), and obeys the answer', async () => {
    const { tracker, prompt, memory, clock } = setup({ budgetUsd: 1 });
    await tracker.record(record({ costUsd: 0.5 }));
    assert.equal(await tracker.confirmBeforeRequest(0.4), true);
    assert.equal(await tracker.confirmBeforeRequest(null), true, 'an unknown estimate under the budget never blocks');
    assert.equal(prompt.questions.length, 0);

    prompt.answers.push('cancel');
    assert.equal(await tracker.confirmBeforeRequest(0.6), false, 'cancel: do not send');
    assert.deepEqual(prompt.questions[0], {
      month: '2026-01',
      budgetUsd: 1,
      spentUsd: 0.5,
      share: 0.5,
      spentIncomplete: false,
      estimateUsd: 0.6,
      alreadyExceeded: false,
    });
    prompt.answers.push('send');
    assert.equal(await tracker.confirmBeforeRequest(0.6), true);
    prompt.answers.push('sendForMonth');
    assert.equal(await tracker.confirmBeforeRequest(0.6), true);
    assert.equal(memory.get(CONFIRMED_MONTH_KEY), '2026-01');
    assert.equal(await tracker.confirmBeforeRequest(5), true, "don't ask again this month");
    assert.equal(prompt.questions.length, 3);

    clock.t = feb(1);
    assert.equal(await tracker.confirmBeforeRequest(0.9), true, 'February starts at zero');
    await tracker.record(record({ time: feb(1), costUsd: 1.2 }));
    prompt.answers.push('cancel');
    assert.equal(await tracker.confirmBeforeRequest(null), false, 'over the budget, even an unpriced request asks');
    assert.equal(prompt.questions.at(-1)!.alreadyExceeded, true);
  });

  it('never asks without a budget', async () => {
    const { tracker, prompt } = setup({ budgetUsd: null });
    await tracker.record(record({ costUsd: 100 }));
    assert.equal(await tracker.confirmBeforeRequest(100), true);
    assert.equal(prompt.questions.length, 0);
  });

  it('appends, publishes and shows each record; a failing ledger is logged once and the usage still counts', async () => {
    const { tracker, ledger, published, shown, logger } = setup();
    let changes = 0;
    const sub = tracker.onDidChange(() => changes++);
    await tracker.record(record({ inputTokens: 1200, cacheReadInputTokens: 3000, outputTokens: 250, costUsd: 0.002 }));
    assert.equal(ledger.records.length, 1);
    assert.equal(published.length, 1);
    assert.match(shown.at(-1)!.text, /^\$\(graph\) 4\.2k\/250 \$0\.002 · today 4\.2k\/250 \$0\.002 · 1\.5 s$/);
    ledger.fail = true;
    await tracker.record(record({ costUsd: 0.001 }));
    await tracker.record(record({ costUsd: 0.001 }));
    assert.equal(logger.lines.filter((l) => l.startsWith('warn: usage log: could not append')).length, 1);
    assert.equal(published.length, 3, 'CloudWatch still gets them');
    assert.match(shown.at(-1)!.text, / \$0\.004 · today/, 'the status counts them');
    assert.equal(changes, 3);
    sub.dispose();
    await tracker.record(record());
    assert.equal(changes, 3, 'unsubscribed');
  });

  it('spins while requests run (nested too), and shows the last successful question latency', async () => {
    const { tracker, shown } = setup();
    await tracker.whenLoaded();
    tracker.beginRequest();
    tracker.beginRequest();
    assert.match(shown.at(-1)!.text, /^\$\(loading~spin\) /);
    tracker.endRequest();
    assert.match(shown.at(-1)!.text, /^\$\(loading~spin\) /, 'one is still running');
    tracker.endRequest();
    tracker.endRequest();
    assert.match(shown.at(-1)!.text, /^\$\(graph\) /);
    await tracker.record(record({ latencyMs: 2400 }));
    await tracker.record(record({ latencyMs: 9000, errorCode: 'THROTTLED', costUsd: 0 }));
    await tracker.record(record({ kind: 'indexing', latencyMs: 300 }));
    assert.match(shown.at(-1)!.text, / · 2\.4 s$/);
  });

  it("counts the ledger's earlier records in today and the month, not in the session", async () => {
    const earlier = record({ time: jan(10, 8), inputTokens: 5000, outputTokens: 500, costUsd: 0.9 });
    const yesterday = record({ time: jan(9), costUsd: 0.05 });
    const { tracker, shown, prompt } = setup({ budgetUsd: 1, initial: [yesterday, earlier], now: jan(10, 9) });
    await tracker.whenLoaded();
    assert.match(shown.at(-1)!.text, /^\$\(graph\) 0\/0 \$0\.00 · today 5k\/500 \$0\.90$/);
    assert.equal(tracker.allRecords.length, 2);
    await tracker.record(record({ time: jan(10, 9), costUsd: 0.01 }));
    assert.equal(prompt.warnings[0]?.spentUsd, 0.96, 'yesterday and this morning count towards January');
  });

  it('recordCall prices with the catalog, or with the models.* overrides for an unknown id; estimateUsd is an upper bound', async () => {
    const { tracker, ledger } = setup({ overrides: { prices: { inputPer1k: 0.002, outputPer1k: 0.01 } } });
    const known = await tracker.recordCall({
      kind: 'question',
      modelId: HAIKU,
      usage: { inputTokens: 2000, outputTokens: 400, cacheReadInputTokens: 10_000, cacheWriteInputTokens: 0 },
      latencyMs: 900,
    });
    // Global Haiku 4.5: 2 x 0.001 + 0.4 x 0.005 + 10 x 0.0001 = 0.005 (the overrides do not touch a known model).
    assert.equal(known.costUsd, 0.005);
    assert.equal(known.time, jan(10, 9), "the tracker's clock");
    const custom = await tracker.recordCall({
      kind: 'question',
      modelId: ARN,
      usage: { inputTokens: 1000, outputTokens: 100, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      latencyMs: 900,
    });
    assert.equal(custom.costUsd, 0.003, '1 x 0.002 + 0.1 x 0.01');
    assert.deepEqual(
      ledger.records.map((r) => r.modelId),
      [HAIKU, ARN],
    );
    assert.equal(tracker.estimateUsd(HAIKU, { inputTokens: 10_000, maxOutputTokens: 2048 }), 0.02024);
    const plain = setup();
    assert.equal(plain.tracker.estimateUsd(ARN, { inputTokens: 10_000, maxOutputTokens: 2048 }), null);
  });

  it('logs unreadable ledger lines and reports them, and keeps working when the ledger cannot be read', async () => {
    const logger = captureLog();
    const broken: UsageLedger = { append: async () => undefined, read: async () => Promise.reject(new Error('EACCES')) };
    const tracker = new UsageTracker({
      ledger: broken,
      prompt: new FakePrompt(),
      memory: new MapMemory(),
      logger,
      settings: () => ({ budgetUsd: null, overrides: {} }),
    });
    await tracker.record(record());
    assert.equal(tracker.allRecords.length, 1);
    assert.ok(logger.lines.some((l) => /warn: usage log could not be read.*EACCES/.test(l)));

    const ledger = new MemoryLedger([record()], { skippedLines: 2, tornTail: true });
    const withJunk = new UsageTracker({
      ledger,
      prompt: new FakePrompt(),
      memory: new MapMemory(),
      logger,
      settings: () => ({ budgetUsd: null, overrides: {} }),
      clock: { now: () => jan(10, 12) },
    });
    await withJunk.whenLoaded();
    assert.equal(withJunk.report('7d').unreadableLines, 3);
    assert.equal(withJunk.recordsIn('7d').length, 1);
  });
});
