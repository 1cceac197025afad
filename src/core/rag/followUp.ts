/**
 * Follow-up questions: the conversation so far becomes (1) a standalone search query, so "and how
 * do I change it?" retrieves the proxy docs, and (2) the history messages sent with the question,
 * newest kept first when the window is short.
 */
import { describeError, isCancellation } from '../errors';
import type { CallOptions, ChatMessage, ChatModel, Logger, TokenUsage } from '../ports';

/** One earlier question and its answer, as plain text. */
export interface PriorTurn {
  question: string;
  answer: string;
}

const CONDENSE_SYSTEM =
  'Rewrite the last user question as one standalone search query for a documentation search engine, ' +
  'resolving pronouns and references from the conversation. Reply with the query only, no quotes, no explanation.';

/** History as Converse messages, oldest first; answers carry their citations as plain [n] text. */
export function historyMessages(turns: readonly PriorTurn[]): ChatMessage[] {
  return turns.flatMap((t) => [
    { role: 'user' as const, content: [{ text: t.question }] },
    { role: 'assistant' as const, content: [{ text: t.answer.trim() || '(no answer)' }] },
  ]);
}

export interface CondensedQuery {
  query: string;
  usage?: TokenUsage;
  /** 'model' when the model rewrote it, 'concatenated' when it fell back to joining questions. */
  method: 'none' | 'model' | 'concatenated';
}

/**
 * A standalone query for the last question. With no history it is the question itself; else a
 * short, deterministic model call rewrites it; if that fails, the previous question and the new one
 * are joined (BM25 and embeddings both cope well with the extra words).
 */
export async function condenseQuery(
  question: string,
  history: readonly PriorTurn[],
  deps: { chat: ChatModel; modelId: string; logger: Logger },
  options: CallOptions = {},
): Promise<CondensedQuery> {
  if (history.length === 0) return { query: question, method: 'none' };
  const recent = history.slice(-3);
  const transcript = recent.map((t) => `User: ${t.question}\nAssistant: ${t.answer.slice(0, 600)}`).join('\n\n');
  try {
    let text = '';
    let usage: TokenUsage | undefined;
    for await (const event of deps.chat.converseStream(
      {
        modelId: deps.modelId,
        system: [{ text: CONDENSE_SYSTEM }],
        messages: [{ role: 'user', content: [{ text: `${transcript}\n\nLast question: ${question}` }] }],
        inferenceConfig: { maxTokens: 120, temperature: 0 },
      },
      { ...options, purpose: 'followUp' },
    )) {
      if (event.type === 'textDelta') text += event.text;
      else if (event.type === 'metadata') usage = event.usage;
    }
    const query = text
      .trim()
      .replace(/^["']|["']$/g, '')
      .split('\n')[0]!
      .trim();
    if (query.length > 0 && query.length < 1000) return { query, usage, method: 'model' };
  } catch (err) {
    if (isCancellation(err)) throw err;
    deps.logger.warn(`could not condense the follow-up question, joining it with the previous one: ${describeError(err)}`);
  }
  return { query: `${recent[recent.length - 1]!.question} ${question}`, method: 'concatenated' };
}
