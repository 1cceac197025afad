/**
 * The one per-settings stack both hosts build (src/node/docsStack.ts), with the real SDK against the
 * fake: a settings change rebuilds only what it touches. Changing the chat model, the temperature,
 * the guardrail, the budget or redaction keeps the very same Indexer (nothing is dropped or restored);
 * access settings rebuild the clients but keep the index; only the index's own settings rebuild it.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/core/ports';
import type { Settings } from '../../src/core/settings';
import { readSettings } from '../../src/core/settings';
import { DocsStack } from '../../src/node/docsStack';
import { LedgerMeterHost } from '../../src/node/usage/ledgerMeterHost';
import { UsageStore } from '../../src/node/usage/usageStore';
import { WorkspaceSource } from '../../src/node/workspaceSource';
import { useFakeBedrock } from './useFakeBedrock';

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('DocsStack: settings rebuild only what they touch (real SDK against the fake)', function () {
  this.timeout(60_000);
  const fakeOf = useFakeBedrock();
  let dir: string;
  let stack: DocsStack;
  let base: Settings;
  let host: LedgerMeterHost;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stack-'));
    await cp(join(__dirname, '..', 'fixtures', 'eval', 'docs'), join(dir, 'docs'), { recursive: true });
    host = await LedgerMeterHost.open(new UsageStore(join(dir, 'usage.jsonl')), {
      logger: quiet,
      budgetSet: false,
      allowOverBudget: false,
    });
    base = readSettings(() => undefined).settings;
    stack = new DocsStack(base, {
      logger: quiet,
      storageDir: join(dir, 'index'),
      source: (s) => new WorkspaceSource(join(dir, 'docs'), s),
      meterHost: host,
    });
    await (await stack.indexer()).sync();
  });
  afterEach(async () => {
    stack.dispose();
    await host.flushed();
    await rm(dir, { recursive: true, force: true });
  });

  const change = (over: Partial<Settings>) => stack.update({ ...stack.settings, ...over });

  it('per-call settings rebuild nothing and keep the same loaded index', async () => {
    const indexer = await stack.indexer();
    const ports = await stack.ports();
    for (const over of [
      { 'chat.modelId': 'us.amazon.nova-lite-v1:0' },
      { 'chat.temperature': 0.9 },
      { 'guardrail.id': 'gr-123' },
      { 'usage.monthlyBudgetUsd': 5 },
      { 'redaction.email': false },
      { 'retrieval.textWeight': 2 },
    ] as Array<Partial<Settings>>) {
      assert.deepEqual(change(over), [], JSON.stringify(over));
      assert.equal(await stack.indexer(), indexer, `${JSON.stringify(over)} keeps the index`);
      assert.equal(await stack.ports(), ports);
    }
    assert.equal(stack.settings['chat.modelId'], 'us.amazon.nova-lite-v1:0', 'the new value is in force');
    fakeOf().reset();
    await (await stack.indexer()).sync();
    assert.equal(fakeOf().requests.length, 0, 'no re-embedding after the changes');
  });

  it('access settings rebuild the clients and the retriever, not the index', async () => {
    const indexer = await stack.indexer();
    await stack.retriever();
    assert.deepEqual(change({ 'request.timeoutMs': 12_345 }).sort(), ['clients', 'retriever']);
    assert.equal(await stack.indexer(), indexer);
    // The index keeps embedding through the new clients: the query vector is asked of the fake.
    fakeOf().reset();
    await (await stack.retriever()).retrieve('proxy settings', { k: 3, mode: 'hybrid' });
    assert.equal(fakeOf().requests.filter((r) => r.operation === 'InvokeModel').length, 1);
  });

  it('retrieval settings rebuild the retriever only; index settings rebuild the index', async () => {
    const indexer = await stack.indexer();
    const retriever = await stack.retriever();
    assert.deepEqual(change({ 'retrieval.queryExpansion.enabled': true }), ['retriever']);
    assert.notEqual(await stack.retriever(), retriever);
    assert.equal(await stack.indexer(), indexer);
    assert.deepEqual(change({ 'index.chunkTokens': 300 }).sort(), ['index', 'retriever']);
    assert.notEqual(await stack.indexer(), indexer);
  });
});
