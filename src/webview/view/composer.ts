/**
 * The question box: Enter sends, Shift+Enter is a new line, Escape stops (or cancels an edit).
 * While an answer streams the send button becomes a stop button.
 */
import { h, iconButton } from '../dom';

/** What the composer reports. */
export interface ComposerEvents {
  onSend(text: string): void;
  onStop(): void;
  /** Escape in the box: the app stops a streaming answer or cancels an edit. */
  onEscape(): void;
  onCancelEdit(): void;
  onDraft(text: string): void;
}

type TextArea = HTMLElement & { value: string; rows: number };

const MAX_ROWS = 10;

/** The question box and its send/stop button. */
export class Composer {
  readonly element: HTMLElement;
  readonly textarea = h('vscode-textarea', {
    class: 'question-input',
    label: 'Ask a question about your docs',
    placeholder: 'Ask about your docs',
    rows: 1,
    resize: 'none',
  }) as TextArea;
  private readonly sendButton = iconButton('send', 'Send (Enter)', 'send');
  private readonly stopButton = iconButton('debug-stop', 'Stop (Escape)', 'stop');
  private readonly editBanner = h(
    'div',
    { class: 'edit-banner', hidden: true },
    h('span', {}, 'Editing a question: sending replaces it and every later turn.'),
    iconButton('close', 'Cancel editing (Escape)', 'cancel-edit'),
  );

  constructor(private readonly events: ComposerEvents) {
    this.element = h(
      'footer',
      { class: 'composer' },
      this.editBanner,
      h('div', { class: 'input-box' }, this.textarea, h('div', { class: 'input-actions' }, this.stopButton, this.sendButton)),
      h('div', { class: 'hint', id: 'composer-hint' }, 'Enter to send · Shift+Enter for a new line · Escape to stop'),
    );
    this.textarea.setAttribute('aria-describedby', 'composer-hint');
    this.textarea.addEventListener('keydown', (e) => this.onKey(e));
    this.textarea.addEventListener('input', () => {
      this.fitRows();
      events.onDraft(this.textarea.value);
    });
    this.element.addEventListener('click', (e) => {
      const action = (e.target as Element).closest('[data-action]')?.getAttribute('data-action');
      if (action === 'send') this.submit();
      else if (action === 'stop') events.onStop();
      else if (action === 'cancel-edit') events.onCancelEdit();
    });
  }

  /** Shows send or stop and the edit banner. */
  update(streaming: boolean, editing: boolean): void {
    this.sendButton.hidden = streaming;
    this.stopButton.hidden = !streaming;
    this.editBanner.hidden = !editing;
  }

  /** Replaces the text (restored draft, question to edit) and puts focus in the box. */
  setText(text: string, focus = true): void {
    this.textarea.value = text;
    this.fitRows();
    if (focus) this.focus();
  }

  /** Puts the caret in the question box. */
  focus(): void {
    this.textarea.focus();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.events.onEscape();
    }
  }

  private submit(): void {
    const text = this.textarea.value.trim();
    if (!text) return;
    this.events.onSend(text);
  }

  private fitRows(): void {
    const lines = this.textarea.value.split('\n').length;
    this.textarea.rows = Math.min(MAX_ROWS, Math.max(1, lines));
  }
}
