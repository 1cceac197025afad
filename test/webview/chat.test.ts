/**
 * The chat bundle in headless chromium, driven through the real protocol: what the user sees
 * and what the webview posts back.
 */
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';
import { ANSWER, chunks, done, init, SOURCES, turnStart } from './fixtures';
import type { ChatPage } from './harness';
import { answer, ask, useChatPage } from './harness';

describe('chat webview (chromium)', function () {
  this.timeout(60_000);
  const chatPage = useChatPage();
  let chat: ChatPage;
  beforeEach(() => {
    chat = chatPage();
  });

  it('posts ready with the protocol version before anything else', async () => {
    const posted = await chat.posted();
    assert.deepEqual(posted[0], { type: 'ready', protocolVersion: PROTOCOL_VERSION });
  });

  it('sends the question with the picked scope, model and agent mode', async () => {
    await chat.send(
      init({ currentScope: { kind: 'folder', path: 'docs/guide' }, currentModelId: 'amazon.nova-pro-v1:0', agentMode: true }),
    );
    const sent = await ask(chat, 'Where is the proxy set?');
    assert.equal(sent.text, 'Where is the proxy set?');
    assert.deepEqual(sent.scope, { kind: 'folder', path: 'docs/guide' });
    assert.equal(sent.modelId, 'amazon.nova-pro-v1:0');
    assert.equal(sent.agentMode, true);
    await chat.page.locator('.turn .question', { hasText: 'Where is the proxy set?' }).waitFor();
    assert.equal(await chat.page.locator('.turn').count(), 1);
  });

  it('Shift+Enter adds a new line instead of sending', async () => {
    await chat.send(init());
    await chat.page.locator('vscode-textarea').click();
    await chat.page.keyboard.type('first line');
    await chat.page.keyboard.press('Shift+Enter');
    await chat.page.keyboard.type('second line');
    assert.equal((await chat.posted()).filter((m) => m.type === 'chat/send').length, 0);
    await chat.page.keyboard.press('Enter');
    const sent = await chat.waitForPosted('chat/send');
    assert.equal(sent.text, 'first line\nsecond line');
  });

  it('renders streamed chunks as Markdown with a highlighted code block and a stats footer', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Proxy?');
    await chat.send(turnStart(sent.requestId, sent.text));
    await chat.send({ type: 'chat/sources', requestId: sent.requestId, sources: SOURCES });
    const parts = chunks(sent.requestId, ANSWER);
    for (const chunk of parts.slice(0, 10)) await chat.send(chunk);
    await chat.page.locator('.turn[data-status="streaming"] .markdown-body').waitFor();
    assert.equal(await chat.page.locator('.response').getAttribute('aria-busy'), 'true');
    for (const chunk of parts.slice(10)) await chat.send(chunk);
    await chat.send(done(sent.requestId));
    await chat.page.locator('.turn[data-status="done"]').waitFor();
    const body = chat.page.locator('.markdown-body');
    assert.equal(await body.locator('code').first().textContent(), 'HTTPS_PROXY');
    assert.equal(await body.locator('strong').count(), 1);
    assert.ok((await body.locator('.code-block pre code .hljs-keyword').count()) >= 2, 'TypeScript keywords are highlighted');
    assert.match((await body.locator('.code-block pre code').textContent()) ?? '', /new BedrockRuntimeClient/);
    const footer = (await chat.page.locator('.footer .stats').textContent()) ?? '';
    assert.match(footer, /1,840 in · 312 out tokens/);
    assert.match(footer, /cache read 1,200/);
    assert.doesNotMatch(footer, /cache write/);
    assert.match(footer, /2\.4 s/);
    assert.match(footer, /\$0\.0042/);
    assert.equal(await chat.page.locator('.response').getAttribute('aria-busy'), 'false');
  });

  it('says "cost unknown" when the price is not known', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Price?');
    await answer(chat, sent.requestId, sent.text, 'Unknown model price.', done(sent.requestId, { costUsd: null }));
    await chat.page.locator('.turn[data-status="done"]').waitFor();
    assert.match((await chat.page.locator('.footer .stats').textContent()) ?? '', /cost unknown/);
  });

  it('citation and source clicks post source/open with that source path and lines', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Proxy?');
    await answer(chat, sent.requestId, sent.text);
    await chat.page.locator('.turn[data-status="done"]').waitFor();
    await chat.page.locator('.markdown-body .citation[data-cite="2"]').first().click();
    assert.deepEqual(await chat.waitForPosted('source/open'), {
      type: 'source/open',
      path: 'docs/reference/cli.md',
      startLine: 88,
      endLine: 97,
    });
    await chat.page.locator('.source-link[data-source="1"]').click();
    assert.deepEqual(await chat.waitForPosted('source/open', 2), {
      type: 'source/open',
      path: 'docs/guide/proxy.md',
      startLine: 12,
      endLine: 40,
    });
    assert.equal(await chat.page.locator('.markdown-body .citation').count(), 4, '[1], [2] and [1, 2] become four citation buttons');
  });

  it('code block buttons post copy, insert and new file with the code and its language', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Client?');
    await answer(chat, sent.requestId, sent.text);
    const block = chat.page.locator('.code-block').first();
    await block.locator('[data-action="code-copy"]').click();
    const copy = await chat.waitForPosted('code/copy');
    assert.match(copy.code, /^import \{ BedrockRuntimeClient \}/);
    assert.ok(!copy.code.endsWith('\n'));
    await block.locator('[data-action="code-insert"]').click();
    assert.equal((await chat.waitForPosted('code/insert')).code, copy.code);
    await block.locator('[data-action="code-new-file"]').click();
    const newFile = await chat.waitForPosted('code/newFile');
    assert.deepEqual([newFile.language, newFile.languageId, newFile.code], ['ts', 'typescript', copy.code]);
  });

  it('the stop button and Escape post abort for the streaming request', async () => {
    await chat.send(init());
    const first = await ask(chat, 'Long answer please');
    await chat.send(turnStart(first.requestId, first.text));
    await chat.send({ type: 'chat/chunk', requestId: first.requestId, text: 'Partial answer' });
    await chat.page.locator('[data-action="stop"]').click();
    assert.deepEqual(await chat.waitForPosted('chat/abort'), { type: 'chat/abort', requestId: first.requestId });
    await chat.page.locator('.turn[data-status="cancelled"] .note.stopped').waitFor();
    assert.equal((await chat.page.locator('.markdown-body').textContent())?.trim(), 'Partial answer', 'the partial text stays');
    await chat.send(done(first.requestId, { cancelled: true, usage: null, latencyMs: null, costUsd: null }));

    const second = await ask(chat, 'Another one');
    await chat.send(turnStart(second.requestId, second.text));
    await chat.page.keyboard.press('Escape');
    assert.deepEqual(await chat.waitForPosted('chat/abort', 2), { type: 'chat/abort', requestId: second.requestId });
  });

  it('error actions post their action; retry posts chat/retry for that turn', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Hello?');
    await chat.send(turnStart(sent.requestId, sent.text));
    await chat.send({
      type: 'chat/error',
      requestId: sent.requestId,
      error: {
        code: 'SSO_EXPIRED',
        message: 'Your AWS SSO session has expired.',
        hint: 'Sign in again with aws sso login.',
        actions: [
          { kind: 'signInSso', label: 'Sign in with SSO' },
          { kind: 'openSettings', label: 'Open settings', setting: 'bedrockDocs.aws.profile' },
          { kind: 'retry', label: 'Retry' },
        ],
      },
    });
    const note = chat.page.locator('.note.error');
    await note.waitFor();
    assert.match((await note.textContent()) ?? '', /SSO session has expired.*Sign in again/s);
    await note.getByText('Sign in with SSO').click();
    assert.deepEqual(await chat.waitForPosted('error/action'), {
      type: 'error/action',
      turnId: sent.requestId,
      action: { kind: 'signInSso', label: 'Sign in with SSO' },
    });
    await note.getByText('Open settings').click();
    assert.equal((await chat.waitForPosted('error/action', 2)).action.setting, 'bedrockDocs.aws.profile');
    await note.getByText('Retry').click();
    const retry = await chat.waitForPosted('chat/retry');
    assert.equal(retry.turnId, sent.requestId);
    assert.notEqual(retry.requestId, sent.requestId);
    await chat.page.locator(`.turn[data-turn-id="${retry.requestId}"]`).waitFor();
    assert.equal(await chat.page.locator('.turn').count(), 1, 'the retried turn replaces the failed one');
  });

  it('an answer cut midway stays visible, marked incomplete, with retry', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Explain it');
    await chat.send(turnStart(sent.requestId, sent.text));
    await chat.send({ type: 'chat/chunk', requestId: sent.requestId, text: 'The first half of the answer' });
    await chat.send({
      type: 'chat/error',
      requestId: sent.requestId,
      error: { code: 'STREAM_INTERRUPTED', message: 'The answer stream was cut.', actions: [{ kind: 'retry', label: 'Retry' }] },
    });
    await chat.page.locator('.note.incomplete').waitFor();
    assert.equal((await chat.page.locator('.markdown-body').textContent())?.trim(), 'The first half of the answer');
    await chat.page.locator('.note.error vscode-button[data-action="retry"]').click();
    assert.equal((await chat.waitForPosted('chat/retry')).turnId, sent.requestId);
  });

  it('shows a guardrail intervention as a notice, not as an answer', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Something blocked');
    await chat.send(turnStart(sent.requestId, sent.text));
    await chat.send({
      type: 'chat/guardrail',
      requestId: sent.requestId,
      guardrail: { summary: 'The request matched a denied topic.', policies: ['Denied topic: Finance'] },
    });
    await chat.send(done(sent.requestId));
    await chat.page.locator('.turn[data-status="blocked"] .note.guardrail').waitFor();
    assert.match((await chat.page.locator('.note.guardrail').textContent()) ?? '', /Blocked by a guardrail.*denied topic.*Finance/s);
    assert.equal(await chat.page.locator('.markdown-body').isVisible(), false);
    assert.equal(await chat.page.locator('[data-action="rate-up"]').count(), 0, 'nothing to rate');
  });

  it('edit-and-resend posts chat/edit for that turn with the new text', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Original question');
    await answer(chat, sent.requestId, sent.text, 'An answer.');
    await chat.page.locator('.turn[data-status="done"]').waitFor();
    await chat.page.locator('.request').hover();
    await chat.page.locator('[data-action="edit"]').click();
    await chat.page.locator('.edit-banner').waitFor();
    await chat.page.keyboard.press('Control+A');
    await chat.page.keyboard.type('Edited question');
    await chat.page.keyboard.press('Enter');
    const edit = await chat.waitForPosted('chat/edit');
    assert.deepEqual([edit.turnId, edit.text], [sent.requestId, 'Edited question']);
    // The DOM follows on the next animation frame.
    await chat.page.locator('.turn .question', { hasText: 'Edited question' }).waitFor();
    assert.equal(await chat.page.locator('.turn').count(), 1);
  });

  it('rates answers, toggles agent mode, picks a model, exports and starts a new chat', async () => {
    await chat.send(init());
    const sent = await ask(chat, 'Rate me');
    await answer(chat, sent.requestId, sent.text, 'Rated answer.');
    await chat.page.locator('.turn[data-status="done"]').waitFor();
    await chat.page.locator('[data-action="rate-up"]').click();
    assert.deepEqual(await chat.waitForPosted('answer/rate'), { type: 'answer/rate', turnId: sent.requestId, rating: 'up' });
    await chat.page.locator('[data-action="rate-up"]').click();
    assert.equal((await chat.waitForPosted('answer/rate', 2)).rating, null, 'a second click clears the rating');
    await chat.page.locator('[data-action="toggle-agent"]').click();
    assert.deepEqual(await chat.waitForPosted('agent/toggle'), { type: 'agent/toggle', enabled: true });
    await chat.page.locator('.model-select').click();
    await chat.page.locator('.model-select').getByRole('option', { name: 'Amazon Nova Pro' }).click();
    assert.deepEqual(await chat.waitForPosted('model/select'), { type: 'model/select', modelId: 'amazon.nova-pro-v1:0' });
    await chat.page.locator('[data-action="export"]').click();
    assert.deepEqual(await chat.waitForPosted('chat/export'), { type: 'chat/export', conversationId: 'conv-1' });
    await chat.page.locator('[data-action="new-chat"]').click();
    await chat.waitForPosted('chat/new');
    await chat.page.locator('.welcome').waitFor();
    assert.equal(await chat.page.locator('.turn').count(), 0);
  });
});
