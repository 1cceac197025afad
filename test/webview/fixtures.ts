/** Extension-side messages for driving the webview in tests, built from the real protocol types. */
import type { Conversation, Source, Turn } from '../../src/protocol/conversation';
import type { ExtensionMessage, MessageOf } from '../../src/protocol/messages';
import { PROTOCOL_VERSION } from '../../src/protocol/messages';

export const MODELS = [
  { id: 'anthropic.claude-sonnet-4', label: 'Claude Sonnet 4' },
  { id: 'amazon.nova-pro-v1:0', label: 'Amazon Nova Pro' },
];

export const SCOPES = [
  { id: 'all', label: 'All docs', scope: { kind: 'all' as const } },
  { id: 'guide', label: 'docs/guide', scope: { kind: 'folder' as const, path: 'docs/guide' } },
  { id: 'file', label: 'Current file', scope: { kind: 'currentFile' as const } },
];

export const SOURCES: Source[] = [
  { n: 1, path: 'docs/guide/proxy.md', startLine: 12, endLine: 40, breadcrumb: ['Guide', 'Setup', 'Proxy'], title: 'Setup' },
  { n: 2, path: 'docs/reference/cli.md', startLine: 88, endLine: 97, breadcrumb: ['Reference', 'CLI', 'Flags'], title: 'CLI' },
];

/** The extension's answer to ready. */
export function init(overrides: Partial<MessageOf<ExtensionMessage, 'init'>> = {}): MessageOf<ExtensionMessage, 'init'> {
  return {
    type: 'init',
    protocolVersion: PROTOCOL_VERSION,
    conversation: null,
    history: [],
    models: MODELS,
    currentModelId: MODELS[0]!.id,
    scopes: SCOPES,
    currentScope: { kind: 'all' },
    agentMode: false,
    ...overrides,
  };
}

/** The turnStart for a question the webview sent. */
export function turnStart(requestId: string, question: string, conversationId = 'conv-1'): MessageOf<ExtensionMessage, 'chat/turnStart'> {
  const turn: Turn = {
    id: requestId,
    question,
    scope: { kind: 'all' },
    modelId: MODELS[0]!.id,
    agentMode: false,
    startedAt: Date.UTC(2026, 0, 5, 9, 30),
    status: 'streaming',
    answer: '',
    sources: [],
    steps: [],
  };
  return { type: 'chat/turnStart', requestId, conversationId, conversationTitle: question.slice(0, 40), turn };
}

/** A typical successful end of a request. */
export function done(
  requestId: string,
  overrides: Partial<MessageOf<ExtensionMessage, 'chat/done'>> = {},
): MessageOf<ExtensionMessage, 'chat/done'> {
  return {
    type: 'chat/done',
    requestId,
    incomplete: false,
    latencyMs: 2380,
    costUsd: 0.0042,
    usage: { inputTokens: 1840, outputTokens: 312, cacheReadInputTokens: 1200, cacheWriteInputTokens: 0 },
    ...overrides,
  };
}

/** Splits text into small chunks, as a model stream does. */
export function chunks(requestId: string, text: string, size = 7): Array<MessageOf<ExtensionMessage, 'chat/chunk'>> {
  const out: Array<MessageOf<ExtensionMessage, 'chat/chunk'>> = [];
  for (let i = 0; i < text.length; i += size) out.push({ type: 'chat/chunk', requestId, text: text.slice(i, i + size) });
  return out;
}

export const ANSWER = [
  'To route Bedrock calls through a corporate proxy, set `HTTPS_PROXY` before starting VS Code [1]. The CLI reads the same variable and also takes `--proxy` [2].',
  '',
  '```ts',
  "import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';",
  '',
  '// Reuse one client: it keeps the proxy agent and connection pool.',
  "const client = new BedrockRuntimeClient({ region: 'us-east-1', maxAttempts: 3 });",
  '```',
  '',
  'If the proxy inspects TLS, also point `NODE_EXTRA_CA_CERTS` at its root certificate **[1, 2]**.',
].join('\n');

/** A finished conversation, for restoring history. */
export function conversation(turns: Turn[], id = 'conv-1'): Conversation {
  return { id, title: turns[0]?.question ?? '', createdAt: Date.UTC(2026, 0, 5), updatedAt: Date.UTC(2026, 0, 5, 10), turns };
}
