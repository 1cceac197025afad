/**
 * Prompt layout and cache-point placement. The user turn is split into blocks, stable first: the
 * sources block, then the question block. For models with prompt caching, Converse `cachePoint`
 * blocks go after the stable prefixes, in prefix order: after the tool definitions (cacheTools),
 * after the system prompt, after the sources block, and, in a conversation, after the newest
 * question, so the next follow-up reads what this call wrote. A checkpoint is placed only when the
 * tokens since the previous one reach the model's minimum (with a margin for estimate error), and at
 * most the model's limit, keeping the latest (a later checkpoint covers the whole prefix before it).
 *
 * Follow-ups: when the history's first question was asked over the same sources block, that block
 * leads the conversation ([sources, question 1], answer 1, ..., [question n]) so every follow-up
 * shares the cached system + sources prefix. Otherwise the history comes first and the sources block
 * opens the last user turn; only an identical repeat then reuses the cache.
 */
import type { CachingSpec } from '../models/catalog';
import type { ChatMessage, ChatRequest, ContentBlock, ToolSpec } from '../ports';
import { estimateTokens } from '../tokens';
import { messageTokens } from './contextBudget';

/** Where a cache point closes a prefix: after tools, system, the sources block, or the newest question. */
export type CachePointAt = 'tools' | 'system' | 'sources' | 'conversation';

/** The prompt's parts as formatted, and the model's caching facts. */
export interface PromptLayoutInput {
  system: string;
  /** The sources block as formatted (formatSources), or '' with none. */
  sourcesBlock: string;
  /** The question block as formatted (formatQuestion). */
  questionBlock: string;
  /** Earlier turns, oldest first, as plain text (any cache points in them are removed). */
  history?: readonly ChatMessage[];
  /** The history's first question was asked over this same sources block. */
  historySharesSources?: boolean;
  /** Tool definitions the request sends: they come first in the cached prefix. */
  tools?: readonly ToolSpec[];
  /** The model's caching facts (ModelInfo.caching); null: no cache points. */
  caching: CachingSpec | null;
  /** The prompt-caching setting: false places none. */
  enabled: boolean;
  estimate?: (text: string) => number;
  /** A checkpoint needs estimated tokens >= minimum x this (default CACHE_MIN_MARGIN). */
  minMargin?: number;
}

/** System blocks and messages ready for a ChatRequest, with the cache points placed. */
export interface PromptLayout {
  system: NonNullable<ChatRequest['system']>;
  messages: ChatMessage[];
  /** Put ChatRequest.cacheTools: a cache point after the tool definitions. */
  cacheTools: boolean;
  /** The cache points placed, in prefix order, with the estimated tokens before each. */
  cachePoints: Array<{ at: CachePointAt; prefixTokens: number }>;
}

/**
 * The local estimate can run up to ~14 % high (tokens.ts), and a checkpoint whose real prefix is
 * below the minimum is silently not cached: ask the estimate for 15 % more than the minimum.
 */
export const CACHE_MIN_MARGIN = 1.15;

const CACHE_POINT: ContentBlock = { cachePoint: { type: 'default' } };

function withoutCachePoints(message: ChatMessage): ChatMessage {
  return { role: message.role, content: message.content.filter((b) => !('cachePoint' in b)) };
}

interface Candidate {
  at: CachePointAt;
  prefixTokens: number;
  field: 'tools' | 'system' | 'messages';
  /** Where to insert in `messages`: message index and block index (insert after it). */
  message?: number;
  block?: number;
}

/** Lays out system and messages for one grounded question and places the cache points. */
export function layoutPrompt(input: PromptLayoutInput): PromptLayout {
  const estimate = input.estimate ?? estimateTokens;
  const history = (input.history ?? []).map(withoutCachePoints);
  const sourcesFirst = input.historySharesSources === true && input.sourcesBlock !== '' && history[0]?.role === 'user';
  const messages: ChatMessage[] = [];
  let sourcesAt: { message: number; block: number } | undefined;
  if (sourcesFirst) {
    messages.push({ role: 'user', content: [{ text: input.sourcesBlock }, ...history[0]!.content] }, ...history.slice(1));
    sourcesAt = { message: 0, block: 0 };
    messages.push({ role: 'user', content: [{ text: input.questionBlock }] });
  } else {
    messages.push(...history);
    const last: ContentBlock[] =
      input.sourcesBlock !== '' ? [{ text: input.sourcesBlock }, { text: input.questionBlock }] : [{ text: input.questionBlock }];
    messages.push({ role: 'user', content: last });
    if (input.sourcesBlock !== '') sourcesAt = { message: messages.length - 1, block: 0 };
  }

  // Prefix sizes in Bedrock's cache order: tools, then system, then messages.
  const toolsTokens = input.tools?.length ? estimate(JSON.stringify(input.tools)) : 0;
  const systemTokens = toolsTokens + estimate(input.system);
  const tokensBefore = (message: number): number =>
    systemTokens + messages.slice(0, message).reduce((n, m) => n + messageTokens(m, estimate), 0);
  const candidates: Candidate[] = [];
  if (toolsTokens > 0) candidates.push({ at: 'tools', prefixTokens: toolsTokens, field: 'tools' });
  candidates.push({ at: 'system', prefixTokens: systemTokens, field: 'system' });
  if (sourcesAt)
    candidates.push({
      at: 'sources',
      prefixTokens: tokensBefore(sourcesAt.message) + estimate(input.sourcesBlock),
      field: 'messages',
      ...sourcesAt,
    });
  if (history.length > 0) {
    const lastIndex = messages.length - 1;
    const lastMessage = messages[lastIndex]!;
    candidates.push({
      at: 'conversation',
      prefixTokens: tokensBefore(lastIndex) + messageTokens(lastMessage, estimate),
      field: 'messages',
      message: lastIndex,
      block: lastMessage.content.length - 1,
    });
  }

  const chosen: Candidate[] = [];
  const caching = input.caching;
  if (input.enabled && caching && caching.maxCheckpoints > 0) {
    const needed = caching.minTokensPerCheckpoint * (input.minMargin ?? CACHE_MIN_MARGIN);
    let previous = 0;
    for (const c of candidates) {
      if (!caching.fields.includes(c.field) || c.prefixTokens - previous < needed) continue;
      chosen.push(c);
      previous = c.prefixTokens;
    }
    chosen.splice(0, Math.max(0, chosen.length - caching.maxCheckpoints));
  }

  // Insert from the end so earlier indexes stay valid.
  for (const c of [...chosen].reverse()) {
    if (c.message === undefined || c.block === undefined) continue;
    const m = messages[c.message]!;
    messages[c.message] = { role: m.role, content: [...m.content.slice(0, c.block + 1), CACHE_POINT, ...m.content.slice(c.block + 1)] };
  }
  const system: PromptLayout['system'] = [{ text: input.system }];
  if (chosen.some((c) => c.at === 'system')) system.push({ cachePoint: { type: 'default' } });
  return {
    system,
    messages,
    cacheTools: chosen.some((c) => c.at === 'tools'),
    cachePoints: chosen.map((c) => ({ at: c.at, prefixTokens: c.prefixTokens })),
  };
}
