import assert from 'node:assert/strict';
import type { Conversation, Turn } from '../../src/protocol/conversation';
import { historyEntryOf, scopeKey, titleFromQuestion } from '../../src/protocol/conversation';
import { addPendingTurn, applyToConversation, pendingTurn, setTurnRating } from '../../src/protocol/conversationReducer';
import type { ExtensionMessage } from '../../src/protocol/messages';
import {
  isExtensionMessage,
  isWebviewMessage,
  parseExtensionMessage,
  parseWebviewMessage,
  PROTOCOL_VERSION,
} from '../../src/protocol/messages';

const usage = { inputTokens: 100, outputTokens: 20, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

function turn(id: string, overrides: Partial<Turn> = {}): Turn {
  return { ...pendingTurn(id, `question ${id}`, { kind: 'all' }, 'model-a', false, 1000), ...overrides };
}

function conversationOf(...turns: Turn[]): Conversation {
  return { id: 'c1', title: 'T', createdAt: 1, updatedAt: 1, turns };
}

function apply(conversation: Conversation | null, ...messages: ExtensionMessage[]): Conversation | null {
  return messages.reduce<Conversation | null>((c, m) => applyToConversation(c, m, 5000), conversation);
}

describe('protocol: inbound message guards', () => {
  it('accepts a well-formed chat/send and drops unknown fields', () => {
    const result = parseWebviewMessage({
      type: 'chat/send',
      requestId: 'r1',
      text: 'hi',
      scope: { kind: 'folder', path: 'docs' },
      modelId: 'm',
      agentMode: false,
      extra: 1,
    });
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      type: 'chat/send',
      requestId: 'r1',
      text: 'hi',
      scope: { kind: 'folder', path: 'docs' },
      modelId: 'm',
      agentMode: false,
    });
  });

  it('rejects unknown types, non-objects and missing fields with a reason naming the problem', () => {
    const unknown = parseWebviewMessage({ type: 'chat/explode' });
    assert.ok(!unknown.ok);
    assert.match(unknown.reason, /chat\/explode/);
    const missing = parseWebviewMessage({ type: 'source/open', path: 'a.md', startLine: 3 });
    assert.ok(!missing.ok);
    assert.match(missing.reason, /endLine/);
    for (const junk of [null, undefined, 'ready', 7, [], {}]) assert.equal(isWebviewMessage(junk), false, JSON.stringify(junk));
  });

  it('checks values, not just shapes: empty question, bad ids, fractional or inverted lines', () => {
    assert.ok(
      !parseWebviewMessage({ type: 'chat/send', requestId: 'r1', text: '', scope: { kind: 'all' }, modelId: 'm', agentMode: false }).ok,
    );
    assert.ok(!parseWebviewMessage({ type: 'chat/abort', requestId: 'has spaces' }).ok);
    assert.ok(!parseWebviewMessage({ type: 'source/open', path: 'a.md', startLine: 1.5, endLine: 2 }).ok);
    const inverted = parseWebviewMessage({ type: 'source/open', path: 'a.md', startLine: 9, endLine: 2 });
    assert.ok(!inverted.ok);
    assert.match(inverted.reason, /endLine is before startLine/);
    assert.ok(
      !parseWebviewMessage({ type: 'chat/send', requestId: 'r1', text: 'x', scope: { kind: 'folder' }, modelId: 'm', agentMode: false }).ok,
      'a folder scope needs a path',
    );
    assert.ok(!parseWebviewMessage({ type: 'answer/rate', turnId: 't', rating: 'meh' }).ok);
    assert.ok(parseWebviewMessage({ type: 'answer/rate', turnId: 't', rating: null }).ok);
  });

  it('validates extension messages deeply, down to nested turns and error codes', () => {
    const ok = parseExtensionMessage({
      type: 'chat/error',
      requestId: 'r1',
      error: { code: 'THROTTLED', message: 'Slow down', actions: [{ kind: 'retry', label: 'Retry' }] },
    });
    assert.ok(ok.ok);
    assert.ok(!isExtensionMessage({ type: 'chat/error', requestId: 'r1', error: { code: 'MADE_UP', message: 'x', actions: [] } }));
    assert.ok(
      !isExtensionMessage({
        type: 'chat/error',
        requestId: 'r1',
        error: { code: 'THROTTLED', message: 'x', actions: [{ kind: 'formatDisk', label: 'Go' }] },
      }),
    );
    const badTurn = parseExtensionMessage({
      type: 'conversation/loaded',
      conversation: { ...conversationOf(turn('t1')), turns: [{ ...turn('t1'), status: 'exploded' }] },
    });
    assert.ok(!badTurn.ok);
    assert.match(badTurn.reason, /turns\.0\.status/);
    assert.ok(
      !isExtensionMessage({
        type: 'chat/done',
        requestId: 'r1',
        usage: { ...usage, inputTokens: -1 },
        latencyMs: 1,
        costUsd: null,
        incomplete: false,
      }),
    );
    assert.ok(
      isExtensionMessage({
        type: 'chat/done',
        requestId: 'r1',
        usage: null,
        latencyMs: null,
        costUsd: null,
        incomplete: false,
        cancelled: true,
      }),
    );
  });

  it('init carries the protocol version the webview compares against', () => {
    const result = parseExtensionMessage({
      type: 'init',
      protocolVersion: PROTOCOL_VERSION,
      conversation: null,
      history: [],
      models: [{ id: 'm', label: 'M' }],
      currentModelId: 'm',
      scopes: [{ id: 'all', label: 'All docs', scope: { kind: 'all' } }],
      currentScope: { kind: 'all' },
      agentMode: true,
    });
    assert.ok(result.ok && result.value.type === 'init' && result.value.protocolVersion === PROTOCOL_VERSION);
  });
});

describe('protocol: conversation reducer', () => {
  it('streams a turn: sources, chunks and steps land on the turn whose id is the requestId', () => {
    const start = { type: 'chat/turnStart', requestId: 't1', conversationId: 'c9', conversationTitle: 'Proxy', turn: turn('t1') } as const;
    const c = apply(
      null,
      start,
      { type: 'chat/sources', requestId: 't1', sources: [{ n: 1, path: 'a.md', startLine: 1, endLine: 2, breadcrumb: ['A'], title: 'A' }] },
      { type: 'chat/chunk', requestId: 't1', text: 'Hello ' },
      { type: 'chat/step', requestId: 't1', step: { id: 's1', tool: 'search', input: { q: 'x' }, resultChars: null } },
      { type: 'chat/step', requestId: 't1', step: { id: 's1', tool: 'search', input: { q: 'x' }, resultChars: 40 } },
      { type: 'chat/chunk', requestId: 't1', text: 'world [1]' },
      { type: 'chat/done', requestId: 't1', usage, latencyMs: 900, costUsd: null, incomplete: false },
    );
    assert.equal(c?.id, 'c9');
    assert.equal(c?.title, 'Proxy');
    const t = c?.turns[0];
    assert.equal(t?.answer, 'Hello world [1]');
    assert.equal(t?.status, 'done');
    assert.deepEqual(
      t?.steps.map((s) => s.resultChars),
      [40],
      'the same step id updates in place',
    );
    assert.equal(t?.sources.length, 1);
    assert.deepEqual(t?.stats, { usage, latencyMs: 900, costUsd: null });
  });

  it('ends as cancelled, incomplete (with its reason), error or blocked', () => {
    const base = conversationOf(turn('t1'));
    const done = { type: 'chat/done', requestId: 't1', usage: null, latencyMs: null, costUsd: null } as const;
    assert.equal(apply(base, { ...done, incomplete: true, cancelled: true })?.turns[0]?.status, 'cancelled');
    const cut = apply(base, { ...done, incomplete: true, incompleteReason: 'Reached the 2048-token limit' })?.turns[0];
    assert.deepEqual([cut?.status, cut?.stats?.incompleteReason], ['incomplete', 'Reached the 2048-token limit']);
    const failed = apply(base, { type: 'chat/error', requestId: 't1', error: { code: 'THROTTLED', message: 'Slow', actions: [] } })
      ?.turns[0];
    assert.deepEqual([failed?.status, failed?.error?.code], ['error', 'THROTTLED']);
    const blocked = apply(
      base,
      { type: 'chat/guardrail', requestId: 't1', guardrail: { summary: 'Denied topic' } },
      { ...done, usage, incomplete: false },
    )?.turns[0];
    assert.equal(blocked?.status, 'blocked', 'done after a guardrail keeps it blocked but adds stats');
    assert.deepEqual(blocked?.stats?.usage, usage);
  });

  it('ignores messages for turns it does not have, returning the same object', () => {
    const c = conversationOf(turn('t1'));
    assert.equal(applyToConversation(c, { type: 'chat/chunk', requestId: 'other', text: 'x' }), c);
    assert.equal(applyToConversation(c, { type: 'history/list', history: [] }), c);
    assert.equal(applyToConversation(null, { type: 'chat/chunk', requestId: 't1', text: 'x' }), null);
  });

  it('a turn stopped locally ignores late chunks and steps but still takes the final stats', () => {
    const stopped = conversationOf(turn('t1', { status: 'cancelled', answer: 'Partial' }));
    assert.equal(applyToConversation(stopped, { type: 'chat/chunk', requestId: 't1', text: ' more' }), stopped);
    assert.equal(
      applyToConversation(stopped, { type: 'chat/step', requestId: 't1', step: { id: 's', tool: 'x', input: null, resultChars: 1 } }),
      stopped,
    );
    const done = apply(stopped, {
      type: 'chat/done',
      requestId: 't1',
      usage,
      latencyMs: 10,
      costUsd: 0.01,
      incomplete: true,
      cancelled: true,
    })?.turns[0];
    assert.deepEqual([done?.status, done?.answer, done?.stats?.costUsd], ['cancelled', 'Partial', 0.01]);
  });

  it('retry and edit replace the turn and every later one', () => {
    const c = conversationOf(turn('t1', { status: 'done' }), turn('t2', { status: 'done' }), turn('t3', { status: 'error' }));
    const pending = addPendingTurn(c, turn('t4'), 't2');
    assert.deepEqual(
      pending.turns.map((t) => t.id),
      ['t1', 't4'],
    );
    const confirmed = apply(c, {
      type: 'chat/turnStart',
      requestId: 't4',
      conversationId: 'c1',
      conversationTitle: 'T',
      turn: turn('t4'),
      replacesFromTurnId: 't2',
    });
    assert.deepEqual(
      confirmed?.turns.map((t) => t.id),
      ['t1', 't4'],
    );
  });

  it('the webview optimistic conversation adopts the id the extension assigns, keeping the turn', () => {
    const local = addPendingTurn(null, turn('t1'));
    assert.match(local.id, /^local-/);
    const c = apply(local, {
      type: 'chat/turnStart',
      requestId: 't1',
      conversationId: 'c7',
      conversationTitle: 'Q',
      turn: turn('t1', { question: 'as stored' }),
    });
    assert.equal(c?.id, 'c7');
    assert.deepEqual(
      c?.turns.map((t) => t.question),
      ['as stored'],
    );
  });

  it('a turnStart for another conversation starts a new one', () => {
    const c = apply(conversationOf(turn('t1', { status: 'done' })), {
      type: 'chat/turnStart',
      requestId: 't9',
      conversationId: 'c2',
      conversationTitle: 'New',
      turn: turn('t9'),
    });
    assert.deepEqual([c?.id, c?.turns.map((t) => t.id)], ['c2', ['t9']]);
  });

  it('rates and un-rates a turn', () => {
    const rated = setTurnRating(conversationOf(turn('t1')), 't1', 'down');
    assert.equal(rated?.turns[0]?.rating, 'down');
    assert.equal('rating' in (setTurnRating(rated, 't1', null)?.turns[0] ?? {}), false);
  });
});

describe('protocol: conversation helpers', () => {
  it('scopeKey matches a current-file scope whatever file it resolved to', () => {
    assert.equal(scopeKey({ kind: 'currentFile', path: 'a.md' }), scopeKey({ kind: 'currentFile' }));
    assert.notEqual(scopeKey({ kind: 'folder', path: 'a' }), scopeKey({ kind: 'folder', path: 'b' }));
  });

  it('titles are one line and cut with an ellipsis', () => {
    assert.equal(titleFromQuestion('How do I\n  set the proxy?'), 'How do I set the proxy?');
    const long = titleFromQuestion('x'.repeat(100), 20);
    assert.equal(long.length, 20);
    assert.ok(long.endsWith('…'));
  });

  it('historyEntryOf counts turns', () => {
    assert.deepEqual(historyEntryOf(conversationOf(turn('a'), turn('b'))), { id: 'c1', title: 'T', updatedAt: 1, turnCount: 2 });
  });
});
