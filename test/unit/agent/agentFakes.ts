/**
 * Fakes for agent-mode unit tests: a ChatModel that plays scripted turns and records each request,
 * a Retriever over fixed hits per query, and an in-memory DocReader.
 */
import type { DocExcerpt, DocListing, DocReader, ReadRange } from '../../../src/core/agent/docReader';
import type { Chunk } from '../../../src/core/chunk';
import { BedrockDocsError } from '../../../src/core/errors';
import type { SearchHit } from '../../../src/core/index/hybridIndex';
import type { CallOptions, ChatModel, ChatRequest, ChatStreamEvent, Logger, TokenUsage } from '../../../src/core/ports';
import type { Retriever } from '../../../src/core/rag/ask';

/** One scripted model turn. */
export interface ScriptedTurn {
  text?: string;
  toolUses?: Array<{ name: string; input: unknown; toolUseId?: string }>;
  usage?: Partial<TokenUsage>;
  stopReason?: string;
  /** Throw this after the text instead of finishing the turn. */
  failWith?: Error;
}

export class ScriptedChat implements ChatModel {
  readonly requests: ChatRequest[] = [];
  private next = 0;
  private ids = 0;

  constructor(private readonly turns: ScriptedTurn[]) {}

  async *converseStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatStreamEvent> {
    this.requests.push(structuredClone(request));
    if (options.signal?.aborted) throw new BedrockDocsError('CANCELLED', 'cancelled');
    const turn = this.turns[this.next++];
    if (!turn) throw new Error(`the model was called ${this.next} times; the script has ${this.turns.length} turns`);
    // Several deltas, as a stream delivers them.
    for (const piece of (turn.text ?? '').match(/.{1,7}/gs) ?? []) yield { type: 'textDelta', text: piece };
    if (turn.failWith) throw turn.failWith;
    for (const use of turn.toolUses ?? [])
      yield { type: 'toolUse', toolUseId: use.toolUseId ?? `tooluse_${++this.ids}`, name: use.name, input: use.input };
    yield { type: 'messageStop', stopReason: turn.stopReason ?? (turn.toolUses?.length ? 'tool_use' : 'end_turn') };
    yield {
      type: 'metadata',
      usage: { inputTokens: 100, outputTokens: 10, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, ...turn.usage },
    };
  }

  get calls(): number {
    return this.requests.length;
  }
}

/** A chunk for tests: `lines` is [start, end]. */
export function chunk(path: string, lines: [number, number], text: string, ordinal = 0): Chunk {
  return {
    id: `${path}#${ordinal}`,
    path,
    fileType: 'markdown',
    title: path,
    breadcrumb: ['Guide'],
    startLine: lines[0],
    endLine: lines[1],
    text,
  };
}

export class FakeRetriever implements Retriever {
  readonly queries: Array<{ query: string; filter: unknown }> = [];

  constructor(private readonly hits: Record<string, Chunk[]>) {}

  async retrieve(query: string, options: Parameters<Retriever['retrieve']>[1]): Promise<SearchHit[]> {
    this.queries.push({ query, filter: options.filter });
    return (this.hits[query] ?? []).slice(0, options.k).map((c, i) => ({ chunk: c, score: 1 / (i + 1) }));
  }
}

export class FakeReader implements DocReader {
  readonly reads: string[] = [];

  constructor(
    private readonly docs: Record<string, string>,
    private readonly onRead?: () => void,
  ) {}

  async read(path: string, range: ReadRange): Promise<DocExcerpt> {
    this.reads.push(path);
    this.onRead?.();
    if (range.signal?.aborted) throw new BedrockDocsError('CANCELLED', 'cancelled');
    const text = this.docs[path];
    if (text === undefined) throw new BedrockDocsError('BAD_INPUT', `No document "${path}".`, 'Use list_docs.');
    const lines = text.split('\n');
    const end = Math.min(lines.length, range.endLine);
    return {
      path,
      startLine: range.startLine,
      endLine: end,
      totalLines: lines.length,
      text: lines.slice(range.startLine - 1, end).join('\n'),
      clamped: end < range.endLine,
    };
  }

  async list(glob: string): Promise<DocListing> {
    const paths = Object.keys(this.docs)
      .filter((p) => glob === '**' || p.startsWith(glob.replace(/\*.*$/, '')))
      .sort();
    return { paths, total: paths.length };
  }
}

export const quietLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
