/**
 * The scrolling list of turns. Keeps one TurnView per turn id, follows the stream while the user
 * is at the bottom, and shows a welcome when the conversation is empty.
 */
import type { Conversation as ConversationData } from '../../protocol/conversation';
import { codicon, h } from '../dom';
import type { TurnContext } from './turnView';
import { TurnView } from './turnView';

// How close to the bottom (px) still counts as "following" the answer.
const FOLLOW_SLACK = 48;

/** The conversation pane: welcome or turns. */
export class Conversation {
  readonly element: HTMLElement;
  private readonly list = h('div', { class: 'turns', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation' });
  private readonly welcome = h(
    'div',
    { class: 'welcome' },
    h('div', { class: 'welcome-icon' }, codicon('book')),
    h('h1', {}, 'Ask your docs'),
    h('p', {}, 'Answers come from the documents indexed in this workspace, with numbered citations you can open.'),
    h('p', { class: 'welcome-hint' }, 'Pick the docs to search and the model above, then type a question below.'),
  );
  private readonly views = new Map<string, TurnView>();

  constructor() {
    this.element = h('main', { class: 'conversation' }, this.welcome, this.list);
  }

  /** Renders the turns of `conversation`, reusing the views of turns that are still there. */
  update(conversation: ConversationData | null, context: TurnContext, editingTurnId: string | null): void {
    const follow = this.element.scrollHeight - this.element.scrollTop - this.element.clientHeight < FOLLOW_SLACK;
    const turns = conversation?.turns ?? [];
    this.welcome.hidden = turns.length > 0;
    const keep = new Set(turns.map((t) => t.id));
    for (const [id, view] of this.views) {
      if (!keep.has(id)) {
        view.element.remove();
        this.views.delete(id);
      }
    }
    let previous: Element | null = null;
    for (const turn of turns) {
      let view = this.views.get(turn.id);
      if (view) view.update(turn, context);
      else {
        view = new TurnView(turn, context);
        this.views.set(turn.id, view);
      }
      view.element.classList.toggle('editing', turn.id === editingTurnId);
      const expected: Element | null = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (expected !== view.element) this.list.insertBefore(view.element, expected);
      previous = view.element;
    }
    if (follow) {
      this.element.scrollTop = this.element.scrollHeight;
      // Components render a microtask later and can still grow the page: follow once more.
      requestAnimationFrame(() => {
        this.element.scrollTop = this.element.scrollHeight;
      });
    }
  }
}
