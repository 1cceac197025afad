/** The saved conversations: open one, delete one, or clear them all. */
import type { HistoryEntry } from '../../protocol/conversation';
import { codicon, h, iconButton } from '../dom';

/** The history overlay; its buttons carry data-action for the app's click handler. */
export class HistoryPanel {
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'history-list', 'aria-label': 'Saved conversations' });
  private readonly empty = h('p', { class: 'history-empty' }, 'No saved conversations yet.');
  private readonly clearButton = h('vscode-button', { secondary: true, 'data-action': 'history-clear', icon: 'clear-all' }, 'Clear all');
  private key = '';

  constructor() {
    this.element = h(
      'section',
      { class: 'history-panel', role: 'dialog', 'aria-label': 'Chat history', hidden: true },
      h(
        'div',
        { class: 'panel-header' },
        h('h2', {}, 'History'),
        this.clearButton,
        iconButton('close', 'Close history (Escape)', 'toggle-history'),
      ),
      this.list,
      this.empty,
    );
  }

  /** Shows `entries`, newest first, marking the open conversation. */
  update(entries: readonly HistoryEntry[], open: boolean, currentId: string | undefined): void {
    this.element.hidden = !open;
    const key = JSON.stringify([entries, currentId]);
    if (key === this.key) return;
    this.key = key;
    const sorted = [...entries].sort((a, b) => b.updatedAt - a.updatedAt);
    this.list.replaceChildren(
      ...sorted.map((entry) =>
        h(
          'li',
          { class: entry.id === currentId ? 'history-item current' : 'history-item', 'data-conversation-id': entry.id },
          h(
            'button',
            {
              type: 'button',
              class: 'history-open',
              'data-action': 'history-open',
              'aria-current': entry.id === currentId ? 'true' : undefined,
            },
            codicon('comment-discussion'),
            h('span', { class: 'history-title' }, entry.title || 'Untitled'),
            h(
              'span',
              { class: 'history-meta' },
              `${new Date(entry.updatedAt).toLocaleString()} · ${entry.turnCount} ${entry.turnCount === 1 ? 'question' : 'questions'}`,
            ),
          ),
          iconButton('trash', `Delete "${entry.title || 'Untitled'}"`, 'history-delete'),
        ),
      ),
    );
    this.empty.hidden = entries.length > 0;
    this.clearButton.toggleAttribute('disabled', entries.length === 0);
  }

  /** Moves focus into the panel when it opens. */
  focusFirst(): void {
    const first =
      this.list.querySelector<HTMLElement>('.history-open') ?? this.element.querySelector<HTMLElement>('[data-action="toggle-history"]');
    first?.focus();
  }
}
