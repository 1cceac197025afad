/**
 * Folds extension messages into a Conversation. The webview renders from it; the extension can
 * keep its stored copy with the same function so both sides agree on what a turn looks like.
 * Pure: returns a new object when something changed, the same object otherwise.
 */
import type { Conversation, Rating, Scope, Turn } from './conversation';
import type { ExtensionMessage, MessageOf } from './messages';

/** Applies one message; messages for turns that are not in `conversation` change nothing. */
export function applyToConversation(conversation: Conversation | null, message: ExtensionMessage, now = Date.now()): Conversation | null {
  switch (message.type) {
    case 'init':
    case 'conversation/loaded':
      return message.conversation;
    case 'chat/turnStart':
      return startTurn(conversation, message, now);
    case 'chat/sources':
      return updateTurn(conversation, message.requestId, now, (t) => ({ ...t, sources: message.sources }));
    case 'chat/chunk':
      // A turn stopped locally (the webview marks it cancelled at once) ignores late deltas.
      if (!message.text || !isStreamingTurn(conversation, message.requestId)) return conversation;
      return updateTurn(conversation, message.requestId, now, (t) => ({ ...t, answer: t.answer + message.text }));
    case 'chat/step':
      if (!isStreamingTurn(conversation, message.requestId)) return conversation;
      return updateTurn(conversation, message.requestId, now, (t) => ({ ...t, steps: upsertById(t.steps, message.step) }));
    case 'chat/guardrail':
      return updateTurn(conversation, message.requestId, now, (t) => ({ ...t, status: 'blocked', guardrail: message.guardrail }));
    case 'chat/error':
      return updateTurn(conversation, message.requestId, now, (t) => ({ ...t, status: 'error', error: message.error }));
    case 'chat/done':
      return updateTurn(conversation, message.requestId, now, (t) => finishTurn(t, message));
    case 'config/update':
    case 'history/list':
      return conversation;
  }
}

/** The pending turn the webview shows the moment a question is sent, before turnStart. */
export function pendingTurn(
  requestId: string,
  question: string,
  scope: Scope,
  modelId: string,
  agentMode: boolean,
  now = Date.now(),
): Turn {
  return { id: requestId, question, scope, modelId, agentMode, startedAt: now, status: 'streaming', answer: '', sources: [], steps: [] };
}

/**
 * Adds a pending turn locally (optimistic UI); `replacesFromTurnId` drops that turn and later
 * ones, as retry and edit do. A null conversation gets a local placeholder the turnStart replaces.
 */
export function addPendingTurn(conversation: Conversation | null, turn: Turn, replacesFromTurnId?: string): Conversation {
  const base = conversation ?? { id: `local-${turn.id}`, title: '', createdAt: turn.startedAt, updatedAt: turn.startedAt, turns: [] };
  return { ...base, updatedAt: turn.startedAt, turns: [...truncateFrom(base.turns, replacesFromTurnId), turn] };
}

/** Records a thumbs up/down (null clears it). */
export function setTurnRating(conversation: Conversation | null, turnId: string, rating: Rating | null): Conversation | null {
  return updateTurn(conversation, turnId, conversation?.updatedAt ?? 0, (t) => {
    const { rating: _old, ...rest } = t;
    return rating ? { ...rest, rating } : rest;
  });
}

/** True while the turn may still receive chunks. */
export function isStreaming(turn: Turn): boolean {
  return turn.status === 'streaming';
}

function isStreamingTurn(conversation: Conversation | null, turnId: string): boolean {
  return conversation?.turns.some((t) => t.id === turnId && t.status === 'streaming') ?? false;
}

function startTurn(conversation: Conversation | null, message: MessageOf<ExtensionMessage, 'chat/turnStart'>, now: number): Conversation {
  const { conversationId, conversationTitle, turn, replacesFromTurnId } = message;
  // The webview's optimistic conversation has a local id: adopt the extension's id and keep turns.
  const sameConversation = conversation && (conversation.id === conversationId || conversation.id.startsWith('local-'));
  const base: Conversation = sameConversation
    ? { ...conversation, id: conversationId, title: conversation.title || conversationTitle }
    : { id: conversationId, title: conversationTitle, createdAt: now, updatedAt: now, turns: [] };
  let turns = truncateFrom(base.turns, replacesFromTurnId);
  const existing = turns.findIndex((t) => t.id === turn.id);
  turns = existing >= 0 ? turns.map((t, i) => (i === existing ? turn : t)) : [...turns, turn];
  return { ...base, title: base.title || conversationTitle, updatedAt: now, turns };
}

function finishTurn(turn: Turn, message: MessageOf<ExtensionMessage, 'chat/done'>): Turn {
  const status: Turn['status'] =
    turn.status === 'blocked' || turn.status === 'error'
      ? turn.status
      : message.cancelled
        ? 'cancelled'
        : message.incomplete
          ? 'incomplete'
          : 'done';
  const stats: NonNullable<Turn['stats']> = { usage: message.usage, latencyMs: message.latencyMs, costUsd: message.costUsd };
  if (message.contextDropped) stats.contextDropped = message.contextDropped;
  if (message.incompleteReason) stats.incompleteReason = message.incompleteReason;
  return { ...turn, status, stats };
}

function updateTurn(conversation: Conversation | null, turnId: string, now: number, change: (turn: Turn) => Turn): Conversation | null {
  if (!conversation) return conversation;
  const index = conversation.turns.findIndex((t) => t.id === turnId);
  const turn = conversation.turns[index];
  if (!turn) return conversation;
  const turns = conversation.turns.slice();
  turns[index] = change(turn);
  return { ...conversation, updatedAt: Math.max(conversation.updatedAt, now), turns };
}

function truncateFrom(turns: Turn[], turnId: string | undefined): Turn[] {
  if (!turnId) return turns;
  const index = turns.findIndex((t) => t.id === turnId);
  return index >= 0 ? turns.slice(0, index) : turns;
}

function upsertById<T extends { id: string }>(items: T[], item: T): T[] {
  const index = items.findIndex((i) => i.id === item.id);
  return index >= 0 ? items.map((i, n) => (n === index ? item : i)) : [...items, item];
}
