import assert from 'node:assert/strict';
import { languageIdForFence } from '../../src/protocol/codeLanguage';
import type { Conversation } from '../../src/protocol/conversation';
import { pendingTurn } from '../../src/protocol/conversationReducer';
import { conversationToMarkdown } from '../../src/protocol/exportMarkdown';
import { formatContextDropped, formatCost, formatLatency, formatStatsParts } from '../../src/protocol/formatStats';
import { emptySavedState, migrateSavedState, SAVED_STATE_VERSION } from '../../src/protocol/savedState';

const conversation: Conversation = {
  id: 'c1',
  title: 'Proxy setup',
  createdAt: Date.UTC(2026, 0, 5, 9),
  updatedAt: Date.UTC(2026, 0, 5, 10, 15),
  turns: [
    {
      ...pendingTurn('t1', 'How do I set\nthe proxy?', { kind: 'all' }, 'anthropic.claude-sonnet-4', false, 0),
      status: 'done',
      answer: 'Set `HTTPS_PROXY` [1].\n',
      sources: [{ n: 1, path: 'docs/proxy.md', startLine: 12, endLine: 40, breadcrumb: ['Guide', 'Proxy'], title: 'Guide' }],
      stats: {
        usage: { inputTokens: 1840, outputTokens: 312, cacheReadInputTokens: 1200, cacheWriteInputTokens: 0 },
        latencyMs: 2380,
        costUsd: 0.0042,
        contextDropped: { chunks: 1, turns: 0 },
      },
    },
    {
      ...pendingTurn('t2', 'And the CLI?', { kind: 'all' }, 'm', false, 0),
      status: 'error',
      answer: 'The CLI',
      error: { code: 'STREAM_INTERRUPTED', message: 'The stream was cut.', hint: 'Retry.', actions: [] },
    },
  ],
};

describe('protocol: saved webview state', () => {
  it('a valid current state comes back as it was', () => {
    const state = { ...emptySavedState(), conversation, draft: 'half a question', agentMode: true };
    assert.deepEqual(migrateSavedState(JSON.parse(JSON.stringify(state))), state);
  });

  it('nothing, garbage, or a version from a newer build start empty', () => {
    for (const raw of [undefined, null, 'x', 3, [], { version: SAVED_STATE_VERSION + 1, draft: 'kept?' }, { draft: 'no version' }]) {
      assert.deepEqual(migrateSavedState(raw), emptySavedState(), JSON.stringify(raw));
    }
  });

  it('a corrupt part is replaced by its empty value and the rest is kept', () => {
    const raw = { ...emptySavedState(), draft: 'keep me', agentMode: true, conversation: { id: 'c1', turns: 'not a list' } };
    const state = migrateSavedState(raw);
    assert.equal(state.conversation, null);
    assert.equal(state.draft, 'keep me');
    assert.equal(state.agentMode, true);
  });
});

describe('protocol: Markdown export', () => {
  const markdown = conversationToMarkdown(conversation);

  it('has the title, each question quoted, the answer and its sources with lines', () => {
    assert.ok(markdown.startsWith('# Proxy setup\n'));
    assert.match(markdown, /_Bedrock Docs Assistant · 2026-01-05 10:15 UTC_/);
    assert.match(markdown, /## 1\. How do I set the proxy\?\n\n> How do I set\n> the proxy\?/);
    assert.match(markdown, /Set `HTTPS_PROXY` \[1\]\./);
    assert.match(markdown, /1\. Guide > Proxy — `docs\/proxy\.md` lines 12–40/);
    assert.match(
      markdown,
      /_anthropic\.claude-sonnet-4 · 1,840 in · 312 out tokens · cache read 1,200 · 2\.4 s · \$0\.0042 · 1 source left out/,
    );
  });

  it('keeps a cut answer and says what went wrong', () => {
    assert.match(markdown, /The CLI\n\n\*\*Error \(STREAM_INTERRUPTED\):\*\* The stream was cut\. Retry\./);
  });
});

describe('protocol: footer formatting', () => {
  it('shows cache tokens only when non-zero and says when usage or cost is unknown', () => {
    const parts = formatStatsParts({
      usage: { inputTokens: 5, outputTokens: 6, cacheReadInputTokens: 0, cacheWriteInputTokens: 7 },
      latencyMs: 850,
      costUsd: null,
    });
    assert.deepEqual(parts, ['5 in · 6 out tokens', 'cache write 7', '850 ms', 'cost unknown']);
    assert.deepEqual(formatStatsParts({ usage: null, latencyMs: null, costUsd: 0 }), ['tokens unknown', '$0.00']);
  });

  it('formats costs and latencies at useful precision', () => {
    assert.deepEqual([0.00001, 0.0042, 0.1, 0.12345, 12.3].map(formatCost), ['< $0.0001', '$0.0042', '$0.10', '$0.1235', '$12.30']);
    assert.deepEqual([420, 2380, 65_000].map(formatLatency), ['420 ms', '2.4 s', '1 min 5 s']);
  });

  it('describes dropped context, or nothing when none was dropped', () => {
    const base = { usage: null, latencyMs: null, costUsd: null };
    assert.equal(
      formatContextDropped({ ...base, contextDropped: { chunks: 2, turns: 1 } }),
      '2 sources and 1 earlier turn left out to fit the context window',
    );
    assert.equal(formatContextDropped({ ...base, contextDropped: { chunks: 0, turns: 0 } }), undefined);
  });
});

describe('protocol: code block languages', () => {
  it('maps fence names to VS Code language ids', () => {
    assert.deepEqual(['ts', 'py', 'sh', 'yml', 'C#', 'rust', '', 'json title="x"', '<script>'].map(languageIdForFence), [
      'typescript',
      'python',
      'shellscript',
      'yaml',
      'csharp',
      'rust',
      'plaintext',
      'json',
      'plaintext',
    ]);
  });
});
