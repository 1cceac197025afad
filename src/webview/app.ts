/**
 * The chat webview's controller: holds the state, folds in extension messages, turns clicks and
 * keys into protocol messages, and repaints at most once per animation frame.
 */
import type { Conversation, Turn } from '../protocol/conversation';
import { addPendingTurn, applyToConversation, pendingTurn, setTurnRating } from '../protocol/conversationReducer';
import type { ExtensionMessage } from '../protocol/messages';
import { parseExtensionMessage, PROTOCOL_VERSION } from '../protocol/messages';
import type { SavedState } from '../protocol/savedState';
import { migrateSavedState } from '../protocol/savedState';
import { handleClick } from './clickActions';
import { h } from './dom';
import type { Host } from './vscodeApi';
import { Composer } from './view/composer';
import { Conversation as ConversationView } from './view/conversationView';
import { Header } from './view/header';
import { HistoryPanel } from './view/historyPanel';

/** UI state that is not saved: it resets on reload. */
interface UiState {
  editingTurnId: string | null;
  historyOpen: boolean;
  versionMismatch: boolean;
}

const SAVE_DELAY_MS = 250;

/** One per webview load; owns every view and the saved state. */
export class App {
  state: SavedState;
  ui: UiState = { editingTurnId: null, historyOpen: false, versionMismatch: false };
  readonly header: Header;
  readonly composer: Composer;
  readonly conversation: ConversationView;
  readonly history = new HistoryPanel();
  private readonly status = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  private readonly notice = h(
    'div',
    { class: 'notice', role: 'alert', hidden: true },
    'This view is out of date with the extension. Reload the window (Developer: Reload Window).',
  );
  private frame = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly host: Host,
    root: HTMLElement,
  ) {
    this.state = restore(host.loadState());
    this.header = new Header({
      onModel: (modelId) => this.setConfig({ currentModelId: modelId }, { type: 'model/select', modelId }),
      onScope: (scope) =>
        scope === 'browse'
          ? this.host.post({ type: 'scope/browse' })
          : this.setConfig({ currentScope: scope }, { type: 'scope/select', scope }),
    });
    this.composer = new Composer({
      onSend: (text) => this.send(text),
      onStop: () => this.stop(),
      onEscape: () => (this.activeTurn() ? this.stop() : this.ui.editingTurnId ? this.cancelEdit() : undefined),
      onCancelEdit: () => this.cancelEdit(),
      onDraft: (draft) => this.change({ draft }, false),
    });
    this.conversation = new ConversationView();
    root.replaceChildren(
      this.header.element,
      this.notice,
      this.conversation.element,
      this.history.element,
      this.composer.element,
      this.status,
    );
    root.removeAttribute('aria-busy');
    root.addEventListener('click', (e) => handleClick(this, e));
    document.addEventListener('keydown', (e) => this.onKey(e));
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    this.composer.setText(this.state.draft, false);
    this.renderNow();
    host.post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
  }

  /** Validates and applies one message from the extension; malformed ones are dropped. */
  receive(raw: unknown): void {
    const parsed = parseExtensionMessage(raw);
    if (!parsed.ok) return;
    const message: ExtensionMessage = parsed.value;
    const conversation = applyToConversation(this.state.conversation, message);
    switch (message.type) {
      case 'init': {
        const { models, currentModelId, scopes, currentScope, agentMode, history } = message;
        this.ui.versionMismatch = message.protocolVersion !== PROTOCOL_VERSION;
        this.change({ conversation, models, currentModelId, scopes, currentScope, agentMode, history });
        return;
      }
      case 'config/update': {
        const { type: _type, ...config } = message;
        this.change(config);
        return;
      }
      case 'history/list':
        this.change({ history: message.history });
        return;
      case 'conversation/loaded':
        this.ui.editingTurnId = null;
        this.change({ conversation });
        return;
      case 'chat/done':
        this.announce(message.cancelled ? 'Stopped.' : 'Answer complete.');
        break;
      case 'chat/error':
        this.announce(`Error: ${message.error.message}`);
        break;
      case 'chat/turnStart':
        this.announce('Answering…');
        break;
      default:
        break;
    }
    this.change({ conversation });
  }

  /** Posts a question (or the edit of an earlier one) and shows it at once as a pending turn. */
  send(text: string): void {
    if (this.activeTurn()) return;
    const requestId = newId();
    const { currentScope: scope, currentModelId: modelId, agentMode } = this.state;
    const editing = this.ui.editingTurnId;
    if (editing) this.host.post({ type: 'chat/edit', requestId, turnId: editing, text, scope, modelId, agentMode });
    else this.host.post({ type: 'chat/send', requestId, text, scope, modelId, agentMode });
    this.ui.editingTurnId = null;
    this.composer.setText('');
    this.change({
      draft: '',
      conversation: addPendingTurn(this.state.conversation, pendingTurn(requestId, text, scope, modelId, agentMode), editing ?? undefined),
    });
  }

  /** Asks again for turn `turnId` (dropping it and later turns) with the current pickers. */
  retry(turnId: string): void {
    const turn = this.state.conversation?.turns.find((t) => t.id === turnId);
    if (!turn || this.activeTurn()) return;
    const requestId = newId();
    const { currentScope: scope, currentModelId: modelId, agentMode } = this.state;
    this.host.post({ type: 'chat/retry', requestId, turnId, scope, modelId, agentMode });
    this.change({
      conversation: addPendingTurn(this.state.conversation, pendingTurn(requestId, turn.question, scope, modelId, agentMode), turnId),
    });
  }

  /** Posts abort and shows the turn stopped at once; the extension's chat/done adds the stats. */
  stop(): void {
    const turn = this.activeTurn();
    if (!turn) return;
    this.host.post({ type: 'chat/abort', requestId: turn.id });
    this.replaceTurn({ ...turn, status: 'cancelled' });
    this.announce('Stopped.');
    this.composer.focus();
  }

  /** Loads an earlier question into the composer; sending replaces it and every later turn. */
  edit(turnId: string): void {
    const turn = this.state.conversation?.turns.find((t) => t.id === turnId);
    if (!turn || this.activeTurn()) return;
    this.ui.editingTurnId = turnId;
    this.composer.setText(turn.question);
    this.scheduleRender();
  }

  /** Leaves edit mode and empties the box. */
  cancelEdit(): void {
    this.ui.editingTurnId = null;
    this.composer.setText('');
    this.change({ draft: '' });
  }

  /** Stops any answer and shows an empty conversation. */
  newChat(): void {
    this.stop();
    this.ui.editingTurnId = null;
    this.host.post({ type: 'chat/new' });
    this.change({ conversation: null });
    this.composer.focus();
  }

  /** Thumbs up/down; the same thumb again clears the rating. */
  rate(turnId: string, rating: 'up' | 'down'): void {
    const turn = this.state.conversation?.turns.find((t) => t.id === turnId);
    const next = turn?.rating === rating ? null : rating;
    this.host.post({ type: 'answer/rate', turnId, rating: next });
    this.change({ conversation: setTurnRating(this.state.conversation, turnId, next) });
  }

  /** Flips agent mode for the next questions. */
  toggleAgent(): void {
    const enabled = !this.state.agentMode;
    this.setConfig({ agentMode: enabled }, { type: 'agent/toggle', enabled });
  }

  /** Opens or closes the history panel, moving focus into it or back to its button. */
  toggleHistory(open = !this.ui.historyOpen): void {
    this.ui.historyOpen = open;
    this.renderNow();
    if (open) this.history.focusFirst();
    else this.header.focusHistoryButton();
  }

  /** The turn still streaming, if any. */
  activeTurn(): Turn | undefined {
    return this.state.conversation?.turns.find((t) => t.status === 'streaming');
  }

  /** Merges `patch` into the state, saves it soon and repaints on the next frame. */
  change(patch: Partial<SavedState>, render = true): void {
    this.state = { ...this.state, ...patch };
    this.saveSoon();
    if (render) this.scheduleRender();
  }

  private setConfig(patch: Partial<SavedState>, message: Parameters<Host['post']>[0]): void {
    this.host.post(message);
    this.change(patch);
  }

  private replaceTurn(turn: Turn): void {
    const conversation = this.state.conversation;
    if (!conversation) return;
    this.change({ conversation: { ...conversation, turns: conversation.turns.map((t) => (t.id === turn.id ? turn : t)) } });
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (this.ui.historyOpen) this.toggleHistory(false);
    else if (this.activeTurn()) this.stop();
  }

  private announce(text: string): void {
    this.status.textContent = text;
  }

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.host.saveState(this.state), SAVE_DELAY_MS);
  }

  private scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  private renderNow(): void {
    const { state, ui } = this;
    const conversation: Conversation | null = state.conversation;
    this.notice.hidden = !ui.versionMismatch;
    this.header.update({ ...state, hasConversation: Boolean(conversation?.turns.length), historyOpen: ui.historyOpen });
    this.conversation.update(conversation, { models: state.models }, ui.editingTurnId);
    this.history.update(state.history, ui.historyOpen, conversation?.id);
    this.composer.update(Boolean(this.activeTurn()), ui.editingTurnId !== null);
  }
}

/** Saved state for the first paint; a turn that was streaming when the view died is not any more. */
function restore(raw: unknown): SavedState {
  const state = migrateSavedState(raw);
  const conversation = state.conversation;
  if (!conversation) return state;
  const turns = conversation.turns.map((t): Turn => (t.status === 'streaming' ? { ...t, status: 'incomplete' } : t));
  return { ...state, conversation: { ...conversation, turns } };
}

function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
