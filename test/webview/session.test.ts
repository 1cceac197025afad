/**
 * The chat bundle in headless chromium: pickers, history, saved state across a reload, protocol
 * version checks and malformed input.
 */
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import { init } from './fixtures';
import type { ChatPage } from './harness';
import { answer, ask, useChatPage } from './harness';

describe('chat webview session (chromium)', function () {
  this.timeout(60_000);
  const chatPage = useChatPage();
  let chat: ChatPage;
  beforeEach(() => {
    chat = chatPage();
  });

  it('the scope picker posts scope/select, and "Choose folder…" asks for scope/browse without changing scope', async () => {
    await chat.send(init());
    const picker = chat.page.locator('.scope-select');
    await picker.click();
    await picker.getByRole('option', { name: 'docs/guide' }).click();
    assert.deepEqual(await chat.waitForPosted('scope/select'), { type: 'scope/select', scope: { kind: 'folder', path: 'docs/guide' } });
    await picker.click();
    await picker.getByRole('option', { name: 'Choose folder…' }).click();
    await chat.waitForPosted('scope/browse');
    assert.equal(await picker.evaluate((el) => (el as HTMLElement & { value: string }).value), 'guide');
    await chat.send({
      type: 'config/update',
      scopes: [{ id: 'api', label: 'docs/api', scope: { kind: 'folder', path: 'docs/api' } }],
      currentScope: { kind: 'folder', path: 'docs/api' },
    });
    await chat.page.waitForFunction(() => (document.querySelector('.scope-select') as HTMLElement & { value: string }).value === 'api');
    const sent = await ask(chat, 'Scoped question');
    assert.deepEqual(sent.scope, { kind: 'folder', path: 'docs/api' });
  });

  it('shows a reload notice when the extension speaks another protocol version', async () => {
    await chat.send(init({ protocolVersion: PROTOCOL_VERSION + 1 }));
    await chat.page.locator('.notice').waitFor();
    assert.match((await chat.page.locator('.notice').textContent()) ?? '', /Reload/);
  });

  it('the history panel posts open, delete and clear', async () => {
    const history = [
      { id: 'conv-a', title: 'Proxy setup', updatedAt: Date.UTC(2026, 0, 4), turnCount: 3 },
      { id: 'conv-b', title: 'CLI flags', updatedAt: Date.UTC(2026, 0, 5), turnCount: 1 },
    ];
    await chat.send(init({ history }));
    await chat.page.locator('[data-action="toggle-history"]').first().click();
    const panel = chat.page.locator('.history-panel');
    await panel.waitFor();
    assert.deepEqual(await panel.locator('.history-title').allTextContents(), ['CLI flags', 'Proxy setup'], 'newest first');
    await panel.locator('[data-conversation-id="conv-a"] [data-action="history-delete"]').click();
    assert.deepEqual(await chat.waitForPosted('history/delete'), { type: 'history/delete', conversationId: 'conv-a' });
    await panel.locator('[data-action="history-clear"]').click();
    await chat.waitForPosted('history/clear');
    await panel.locator('[data-conversation-id="conv-b"] .history-open').click();
    assert.deepEqual(await chat.waitForPosted('history/open'), { type: 'history/open', conversationId: 'conv-b' });
    await panel.waitFor({ state: 'hidden' });
  });

  it('restores the conversation after a reload from saved state', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Remember me');
    await answer(chat, sent.requestId, sent.text);
    await chat.page.locator('.turn[data-status="done"]').waitFor();
    await chat.page.waitForFunction(() => (sessionStorage.getItem('vscode-state') ?? '').includes('NODE_EXTRA_CA_CERTS'));
    await chat.load();
    // No init after the reload: what shows comes from getState alone.
    assert.equal(await chat.page.locator('.turn .question').textContent(), 'Remember me');
    assert.match((await chat.page.locator('.markdown-body').textContent()) ?? '', /NODE_EXTRA_CA_CERTS/);
    assert.equal(await chat.page.locator('.source-link').count(), 2);
    assert.deepEqual((await chat.posted())[0], { type: 'ready', protocolVersion: PROTOCOL_VERSION });
  });

  it('ignores malformed messages and keeps working', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Still alive?');
    for (const junk of [
      null,
      'chat/chunk',
      42,
      [],
      {},
      { type: 'nope' },
      { type: 'chat/chunk', text: 'no request id' },
      { type: 'chat/chunk', requestId: sent.requestId, text: 7 },
      {
        type: 'chat/sources',
        requestId: sent.requestId,
        sources: [{ n: 1, path: 'x.md', startLine: 9, endLine: 2, breadcrumb: [], title: '' }],
      },
      { type: 'init', protocolVersion: 'one' },
      { type: 'chat/done', requestId: sent.requestId, incomplete: 'no' },
      { type: 'chat/chunk', requestId: 'someone-else', text: 'stray' },
    ]) {
      await chat.send(junk);
    }
    await answer(chat, sent.requestId, sent.text, 'Yes [1].');
    await chat.page.locator('.turn[data-status="done"]').waitFor();
    assert.equal((await chat.page.locator('.markdown-body').textContent())?.trim(), 'Yes 1.');
    assert.equal(await chat.page.locator('.source-link').count(), 2);
  });
});
