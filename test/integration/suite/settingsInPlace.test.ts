/**
 * A settings change in the real VS Code host is applied in place: changing the chat model (or the
 * temperature) keeps the loaded index, the same Indexer object, and sends nothing to re-embed; the
 * next question goes to the new model. Every call still reaches the usage ledger.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BedrockDocsTestingApi } from '../../../src/extension';
import { startFakeBedrock } from '../../fakes/fakeBedrock';
import { useFakeBedrock } from '../fakeBedrockHost';
import { extensionUnderTest } from '../hostState';

const fake = useFakeBedrock(startFakeBedrock);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api(): Promise<BedrockDocsTestingApi['testing']> {
  return ((await extensionUnderTest().activate()) as BedrockDocsTestingApi).testing;
}

describe('settings apply in place (VS Code host)', function () {
  this.timeout(120_000);

  it('changing bedrockDocs.chat.modelId keeps the loaded index and re-embeds nothing', async () => {
    const t = await api();
    await vscode.commands.executeCommand('bedrockDocs.indexWorkspace');
    const session = t.sessions.session;
    const indexer = await session.indexer();
    const size = indexer.index.size;
    assert.ok(size > 0, 'indexed');
    const config = vscode.workspace.getConfiguration('bedrockDocs');
    fake().reset();
    const ledgerBefore = t.usage.tracker.allRecords.length;
    await config.update('chat.modelId', 'us.amazon.nova-lite-v1:0', vscode.ConfigurationTarget.Workspace);
    await config.update('chat.temperature', 0.7, vscode.ConfigurationTarget.Workspace);
    try {
      // The configuration event is delivered asynchronously.
      for (let i = 0; i < 50 && t.sessions.session.settings['chat.modelId'] !== 'us.amazon.nova-lite-v1:0'; i++) await sleep(100);
      assert.equal(t.sessions.session, session, 'the same session');
      assert.equal(await t.sessions.session.indexer(), indexer, 'the same loaded index: nothing dropped or restored');
      assert.equal(indexer.index.size, size);
      fake().script.reply({ text: 'Port 3128 [1].' });
      await vscode.commands.executeCommand('bedrockDocs.ask', 'Which port does the proxy use?');
      const converse = fake().requests.filter((r) => r.operation === 'ConverseStream');
      assert.equal(converse.at(-1)?.modelId, 'us.amazon.nova-lite-v1:0', 'the next question uses the new model');
      // Only the question's own embedding: nothing was re-embedded for the index.
      assert.equal(fake().requests.filter((r) => r.operation === 'InvokeModel').length, 1);
      const recorded = t.usage.tracker.allRecords.slice(ledgerBefore).reduce((n, r) => n + r.requests, 0);
      assert.equal(recorded, fake().requests.length, 'every call the fake saw is in the ledger');
    } finally {
      await config.update('chat.modelId', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('chat.temperature', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
