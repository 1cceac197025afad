/**
 * The usage report bundle (media/usage.js) in headless chromium, through the chat harness: the
 * page comes from the real renderWebviewHtml (strict CSP) and the reports from the real
 * buildUsageReport. Figures, charts, tables, unknown costs, the period picker, export, saved
 * state, malformed input, and screenshots per theme in test-artifacts/webview/.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { UsageRecord } from '../../src/core/usage/usageRecord';
import { purposeOfKind } from '../../src/core/usage/usageRecord';
import { pricesLookup } from '../../src/node/usage/usagePricing';
import type { UsageHostMessage, UsageRange, UsageViewMessage } from '../../src/usageview/usageMessages';
import { USAGE_PROTOCOL_VERSION } from '../../src/usageview/usageMessages';
import { buildUsageReport } from '../../src/usageview/usageReport';
import { renderWebviewHtml } from '../../src/vscode/webviewHtml';
import type { Harness } from './harness';
import { ChatPage, startHarness } from './harness';
import { THEMES } from './themes';

const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'webview');
const HAIKU = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
const MYSTERY = 'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/<img src=x onerror="window.__pwned=1">';
const TITAN = 'amazon.titan-embed-text-v2:0';
// Local noon of 2026-01-20; the records sit on the days before it.
const NOW = new Date(2026, 0, 20, 12).getTime();
const at = (daysAgo: number, hour = 10) => new Date(2026, 0, 20 - daysAgo, hour).getTime();

/** The same options as the media/usage.js entry of esbuild.config.mjs. */
async function buildUsageBundle(): Promise<void> {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['src/usageview/main.ts'],
    outfile: 'media/usage.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

function rec(over: Partial<UsageRecord>): UsageRecord {
  return {
    time: at(0),
    kind: 'question',
    requests: 1,
    modelId: HAIKU,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    embeddingTokens: 0,
    latencyMs: 1000,
    costUsd: 0,
    ...over,
    purpose: over.purpose ?? purposeOfKind(over.kind ?? 'question'),
  };
}

const RECORDS: UsageRecord[] = [
  rec({ time: at(2), inputTokens: 1000, outputTokens: 200, cacheWriteInputTokens: 5000, latencyMs: 2000, costUsd: 0.01225 }),
  rec({ time: at(2, 11), inputTokens: 800, outputTokens: 150, cacheReadInputTokens: 5000, latencyMs: 1200, costUsd: 0.00205 }),
  rec({ time: at(1), modelId: MYSTERY, inputTokens: 3000, outputTokens: 500, latencyMs: 3000, costUsd: null }),
  rec({ time: at(1, 12), inputTokens: 0, outputTokens: 0, latencyMs: 8000, costUsd: 0, errorCode: 'THROTTLED' }),
  rec({ time: at(0), kind: 'indexing', modelId: TITAN, embeddingTokens: 40_000, latencyMs: 900, costUsd: 0.0008 }),
  rec({ time: at(40), inputTokens: 100, outputTokens: 10, costUsd: 0.00015 }),
];

function reportMessage(range: UsageRange, records = RECORDS, budgetUsd: number | null = 0.018): UsageHostMessage {
  return {
    type: 'usage/report',
    protocolVersion: USAGE_PROTOCOL_VERSION,
    report: buildUsageReport(records, { range, now: NOW, pricesOf: pricesLookup(), budgetUsd }),
  };
}

async function openUsage(harness: Harness, theme = THEMES.dark): Promise<ChatPage> {
  const page = await ChatPage.open(harness, theme, { width: 1100, height: 1400 });
  const origin = harness.baseUrl.replace(/\/$/, '');
  await page.page.route(`${origin}/usage.html`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: renderWebviewHtml({
        cspSource: origin,
        nonce: randomBytes(16).toString('base64'),
        scriptUri: `${origin}/media/usage.js`,
        styleUri: `${origin}/media/usage.css`,
        title: 'Bedrock Docs Usage',
      }),
    }),
  );
  await page.load(`${origin}/usage.html`);
  return page;
}

async function posted(page: ChatPage): Promise<UsageViewMessage[]> {
  return (await page.posted()) as unknown as UsageViewMessage[];
}

async function waitPosted(page: ChatPage, type: UsageViewMessage['type'], count = 1): Promise<UsageViewMessage> {
  await page.page.waitForFunction(([t, n]) => window.__posted.filter((m) => (m as { type?: string }).type === t).length >= n, [
    type,
    count,
  ] as const);
  return (await posted(page)).filter((m) => m.type === type).at(-1)!;
}

const cells = (page: ChatPage, selector: string) => page.page.locator(selector).allTextContents();

describe('usage report webview (chromium)', function () {
  this.timeout(90_000);
  let harness: Harness;
  let usage: ChatPage;

  before(async () => {
    harness = await startHarness();
    await buildUsageBundle();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    usage = await openUsage(harness);
  });
  afterEach(async () => {
    const errors = usage.errors.slice();
    const violations = await usage.cspViolations();
    const pwned = await usage.page.evaluate(() => window.__pwned);
    await usage.close();
    assert.deepEqual(errors, [], 'uncaught errors in the page');
    assert.deepEqual(violations, [], 'CSP violations');
    assert.equal(pwned, undefined, 'nothing from the data ran');
  });

  it('says ready with the protocol version and its period, and shows loading until the report arrives', async () => {
    assert.deepEqual((await posted(usage))[0], { type: 'ready', protocolVersion: USAGE_PROTOCOL_VERSION, range: '30d' });
    assert.equal(await usage.page.locator('.loading').textContent(), 'Loading usage…');
  });

  it('shows totals, one bar per day, the per-model table with unknown costs, and latency and errors by kind', async () => {
    await usage.send(reportMessage('7d'));
    // The stale 7d report is ignored while the view shows 30d; the 30d one is drawn.
    assert.equal(await usage.page.locator('.loading').count(), 1);
    await usage.send(reportMessage('30d'));
    await usage.page.locator('.figures').waitFor();
    assert.equal(await usage.page.locator('.tokens-chart .bar').count(), 30, 'a bar for each of the 30 days');
    assert.equal(await usage.page.locator('.cost-chart .bar.partial').count(), 1, 'the day with an unpriced model is outlined');
    const figures = await cells(usage, '.figure-value');
    assert.equal(figures[0], '5', 'calls in the range (the 40-day-old one is out)');
    assert.equal(figures[1], '14,800 / 850', 'input side (input + cache read + cache write) / output');
    assert.equal(figures[2], '$0.0151+', 'a lower bound: one model has no price');
    assert.equal(figures[3], '34 %', 'cache reads over input-side tokens: 5,000 / 14,800');
    assert.match((await usage.page.locator('.figures').textContent()) ?? '', /p95 3\.0 s/);

    const models = usage.page.locator('.models-table tbody tr');
    assert.equal(await models.count(), 3);
    assert.deepEqual(await models.locator('th').allTextContents(), [HAIKU, TITAN, MYSTERY], 'most expensive first, unknown cost last');
    assert.equal((await models.nth(2).locator('td').last().textContent())?.trim(), 'unknown', 'never $0 for an unknown price');
    assert.equal((await models.nth(0).locator('td').last().textContent())?.trim(), '$0.0143');

    const kinds = usage.page.locator('.kinds-table tbody tr');
    assert.deepEqual(await kinds.locator('th').allTextContents(), ['Questions', 'Indexing']);
    assert.deepEqual(await kinds.nth(0).locator('td').allTextContents(), ['4', '2.0 s', '3.0 s', '25 %', 'THROTTLED ×1', '$0.0143+']);
    assert.match(
      (await usage.page.locator('.budget').textContent()) ?? '',
      /\$0\.0151\+ of \$0\.018 spent in 2026-01 \(84 %\) — over 80 %/,
    );
    await usage.page.locator('.days summary').click();
    assert.deepEqual(
      await usage.page.locator('.days-table tbody th').allTextContents(),
      ['2026-01-20', '2026-01-19', '2026-01-18'],
      'days with usage, newest first',
    );
  });

  it('the period picker asks for another range and drops the old report; export and the budget link post their messages', async () => {
    await usage.send(reportMessage('30d'));
    await usage.page.locator('.figures').waitFor();
    await usage.page.locator('.range-select').selectOption('7d');
    assert.deepEqual(await waitPosted(usage, 'usage/range'), { type: 'usage/range', range: '7d' });
    await usage.page.locator('.loading').waitFor();
    await usage.send(reportMessage('7d'));
    await usage.page.locator('.figures').waitFor();
    assert.equal(await usage.page.locator('.tokens-chart .bar').count(), 7);
    await usage.page.getByRole('button', { name: 'Export CSV' }).click();
    assert.deepEqual(await waitPosted(usage, 'usage/exportCsv'), { type: 'usage/exportCsv', range: '7d' });
    await usage.page.getByRole('button', { name: 'Change budget' }).click();
    assert.deepEqual(await waitPosted(usage, 'usage/openSettings'), { type: 'usage/openSettings' });
  });

  it('repaints the saved report and period after a reload, before the extension answers', async () => {
    await usage.page.locator('.range-select').selectOption('90d');
    await usage.send(reportMessage('90d'));
    await usage.page.locator('.figures').waitFor();
    await usage.load();
    assert.deepEqual((await posted(usage))[0], { type: 'ready', protocolVersion: USAGE_PROTOCOL_VERSION, range: '90d' });
    assert.equal(await usage.page.locator('.tokens-chart .bar').count(), 90);
    assert.equal(await usage.page.locator('.range-select').inputValue(), '90d');
  });

  it('ignores malformed messages, says so when the protocol differs, and explains an empty period', async () => {
    const good = reportMessage('30d');
    for (const junk of [
      null,
      42,
      'usage/report',
      { type: 'nope' },
      { type: 'usage/report', protocolVersion: 1 },
      { ...good, report: { ...good.report, days: [{ day: 'yesterday' }] } },
      { ...good, report: { ...good.report, total: { ...good.report.total, costUsd: -1 } } },
    ]) {
      await usage.send(junk);
    }
    assert.equal(await usage.page.locator('.loading').count(), 1, 'nothing malformed was shown');
    await usage.send({ ...reportMessage('30d', [], null), protocolVersion: USAGE_PROTOCOL_VERSION + 1 });
    await usage.page.locator('.empty').waitFor();
    assert.match((await usage.page.locator('.notice').textContent()) ?? '', /reopen/);
    assert.equal(await usage.page.locator('.notice').isVisible(), true);
    assert.equal(await usage.page.locator('.budget').count(), 0, 'no budget set, no budget line');
  });

  for (const [name, theme] of Object.entries(THEMES)) {
    it(`renders in ${theme.name} (screenshot usage-${name}.png)`, async () => {
      await usage.close();
      usage = await openUsage(harness, theme);
      await usage.send(reportMessage('30d'));
      await usage.page.locator('.figures').waitFor();
      const fills = await usage.page
        .locator('.tokens-chart rect.series-input')
        .first()
        .evaluate((el) => getComputedStyle(el).fill);
      assert.notEqual(fills, 'rgb(0, 0, 0)', 'chart colours come from the theme, not the SVG default black');
      await usage.page.screenshot({ path: join(ARTIFACTS, `usage-${name}.png`), fullPage: true });
    });
  }
});
