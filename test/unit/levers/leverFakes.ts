/** In-process fakes for the lever tests: a scripted ChatModel, a silent logger, chunks. */
import type { Chunk } from '../../../src/core/chunk';
import { BedrockDocsError } from '../../../src/core/errors';
import type { ErrorCode } from '../../../src/core/errors';
import type { ChatModel, ChatRequest, ChatStreamEvent, Logger, TokenUsage } from '../../../src/core/ports';

/** A reply the fake chat model gives: text, or an error it throws. */
export type FakeReply = string | { error: ErrorCode } | ((request: ChatRequest) => string);

/** A ChatModel that answers from a queue (then `fallback`) and records every request. */
export class ScriptedChat implements ChatModel {
  readonly requests: ChatRequest[] = [];
  private readonly queue: FakeReply[] = [];

  constructor(private readonly fallback: FakeReply = 'fallback reply') {}

  reply(...replies: FakeReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  async *converseStream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
    this.requests.push(structuredClone(request));
    const next = this.queue.shift() ?? this.fallback;
    if (typeof next === 'object') throw new BedrockDocsError(next.error, `scripted ${next.error}`);
    const text = typeof next === 'function' ? next(request) : next;
    const usage: TokenUsage = {
      inputTokens: 100,
      outputTokens: Math.ceil(text.length / 4),
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    };
    // Two deltas, as a stream would send them.
    yield { type: 'textDelta', text: text.slice(0, 3) };
    yield { type: 'textDelta', text: text.slice(3) };
    yield { type: 'messageStop', stopReason: 'end_turn' };
    yield { type: 'metadata', usage };
  }
}

/** A logger that keeps warnings (to assert on) and drops the rest. */
export function quietLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const none = () => undefined;
  return { warnings, trace: none, debug: none, info: none, warn: (m: string) => void warnings.push(m), error: none };
}

/** A Markdown chunk of `path`; `ordinal` sets id and lines. */
export function chunkOf(path: string, ordinal: number, text: string, title = 'Guide'): Chunk {
  return {
    id: `${path}#${ordinal}`,
    path,
    fileType: 'markdown',
    title,
    breadcrumb: [title],
    startLine: ordinal * 10 + 1,
    endLine: ordinal * 10 + 8,
    text,
  };
}

/** The text of every text block of a request's messages, joined. */
export function userText(request: ChatRequest): string {
  return request.messages.flatMap((m) => m.content.map((b) => ('text' in b ? b.text : ''))).join('\n');
}
