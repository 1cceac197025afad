/**
 * One question and its answer in the conversation. Rebuilds only the parts whose data changed;
 * buttons carry `data-action` and the app handles clicks for all turns in one listener.
 */
import type { ModelOption, Source, Turn } from '../../protocol/conversation';
import { formatContextDropped, formatStatsParts } from '../../protocol/formatStats';
import { codicon, h, iconButton } from '../dom';
import { AnswerBody } from './answerBody';

/** Lookups a turn needs from the app. */
export interface TurnContext {
  models: readonly ModelOption[];
}

/** The DOM of one turn: question, answer, notes, sources and footer. */
export class TurnView {
  readonly element: HTMLElement;
  private readonly questionText = h('div', { class: 'question' });
  private readonly editButton = iconButton('edit', 'Edit and resend', 'edit');
  private readonly responseMeta = h('span', { class: 'meta' });
  private readonly response: HTMLElement;
  private readonly steps = h('div', { class: 'steps-slot' });
  private readonly progress = h(
    'div',
    { class: 'progress', hidden: true },
    h('vscode-progress-ring', { 'aria-hidden': 'true' }),
    h('span', {}, 'Searching the docs…'),
  );
  private readonly body = new AnswerBody();
  private readonly notes = h('div', { class: 'notes-slot' });
  private readonly sources = h('div', { class: 'sources-slot' });
  private readonly footer = h('div', { class: 'footer-slot' });
  private previous: Turn | undefined;

  constructor(turn: Turn, context: TurnContext) {
    this.response = h(
      'section',
      { class: 'response', 'aria-label': 'Answer' },
      h(
        'div',
        { class: 'row-header' },
        h('span', { class: 'avatar assistant' }, codicon('book')),
        h('span', { class: 'who' }, 'Bedrock Docs'),
        this.responseMeta,
      ),
      this.steps,
      this.progress,
      this.body.element,
      this.notes,
      this.sources,
      this.footer,
    );
    this.element = h(
      'article',
      { class: 'turn', 'data-turn-id': turn.id },
      h(
        'section',
        { class: 'request', 'aria-label': 'Question' },
        h(
          'div',
          { class: 'row-header' },
          h('span', { class: 'avatar user' }, codicon('account')),
          h('span', { class: 'who' }, 'You'),
          h('span', { class: 'row-actions' }, this.editButton),
        ),
        this.questionText,
      ),
      this.response,
    );
    this.update(turn, context);
  }

  /** Brings the DOM in line with `turn`; cheap when nothing changed. */
  update(turn: Turn, context: TurnContext): void {
    const prev = this.previous;
    this.previous = turn;
    if (prev === turn) return;
    const streaming = turn.status === 'streaming';
    if (prev?.question !== turn.question) this.questionText.textContent = turn.question;
    if (prev?.status !== turn.status) {
      this.element.dataset.status = turn.status;
      this.response.setAttribute('aria-busy', String(streaming));
      this.editButton.toggleAttribute('disabled', streaming);
    }
    if (prev?.modelId !== turn.modelId || prev?.scope !== turn.scope) {
      const model = context.models.find((m) => m.id === turn.modelId)?.label ?? turn.modelId;
      this.responseMeta.textContent = `${model} · ${scopeLabel(turn)}`;
    }
    this.progress.hidden = !(streaming && turn.answer === '' && !turn.guardrail);
    if (prev?.steps !== turn.steps || prev?.status !== turn.status)
      this.steps.replaceChildren(...(turn.steps.length ? [renderSteps(turn)] : []));
    if (!turn.guardrail) this.body.update(turn.answer, turn.sources);
    this.body.element.hidden = Boolean(turn.guardrail) || turn.answer === '';
    if (prev?.status !== turn.status || prev?.error !== turn.error || prev?.guardrail !== turn.guardrail || prev?.stats !== turn.stats) {
      this.notes.replaceChildren(...renderNotes(turn));
    }
    if (prev?.sources !== turn.sources) this.sources.replaceChildren(...(turn.sources.length ? [renderSources(turn.sources)] : []));
    if (prev?.stats !== turn.stats || prev?.rating !== turn.rating || prev?.status !== turn.status)
      this.footer.replaceChildren(...renderFooter(turn));
  }
}

function scopeLabel(turn: Turn): string {
  const scope = turn.scope;
  if (scope.kind === 'all') return 'all docs';
  if (scope.kind === 'folder') return scope.path;
  return scope.path ?? 'current file';
}

function renderSteps(turn: Turn): HTMLElement {
  const running = turn.steps.filter((s) => s.resultChars === null).length;
  const summary =
    running > 0 && turn.status === 'streaming'
      ? `running ${turn.steps.at(-1)?.tool ?? 'a tool'}…`
      : `used ${turn.steps.length} ${turn.steps.length === 1 ? 'tool' : 'tools'}`;
  const list = h(
    'ol',
    { class: 'step-list' },
    ...turn.steps.map((step) =>
      h(
        'li',
        { class: 'step' },
        h('span', { class: 'step-tool' }, codicon('tools'), step.tool),
        h('code', { class: 'step-input' }, previewInput(step.input)),
        h(
          'span',
          { class: 'step-result' },
          step.resultChars !== null
            ? `${step.resultChars.toLocaleString('en-US')} chars`
            : turn.status === 'streaming'
              ? 'running…'
              : 'no result',
        ),
      ),
    ),
  );
  return h('vscode-collapsible', { class: 'steps', heading: 'Agent steps', description: summary }, list);
}

function previewInput(input: unknown): string {
  let text: string;
  try {
    text = typeof input === 'string' ? input : (JSON.stringify(input) ?? '');
  } catch {
    text = String(input);
  }
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function renderNotes(turn: Turn): HTMLElement[] {
  const notes: HTMLElement[] = [];
  if (turn.guardrail) {
    notes.push(
      h(
        'div',
        { class: 'note guardrail', role: 'note' },
        codicon('shield'),
        h(
          'div',
          {},
          h('strong', {}, 'Blocked by a guardrail. '),
          turn.guardrail.summary,
          ...(turn.guardrail.policies?.length
            ? [h('div', { class: 'note-detail' }, `Policies: ${turn.guardrail.policies.join(', ')}`)]
            : []),
        ),
      ),
    );
  }
  if (turn.status === 'cancelled') {
    notes.push(
      h(
        'div',
        { class: 'note stopped' },
        codicon('debug-stop'),
        h('span', {}, 'Stopped.'),
        h('vscode-button', { secondary: true, 'data-action': 'retry' }, 'Retry'),
      ),
    );
  }
  if (turn.status === 'incomplete' || (turn.status === 'error' && turn.answer)) {
    const reason = turn.stats?.incompleteReason ? `: ${turn.stats.incompleteReason}` : '';
    const retry = turn.status === 'incomplete' ? h('vscode-button', { secondary: true, 'data-action': 'retry' }, 'Retry') : null;
    notes.push(h('div', { class: 'note incomplete' }, codicon('warning'), h('span', {}, `This answer is incomplete${reason}.`), retry));
  }
  if (turn.error) {
    const actions = turn.error.actions.map((action, index) =>
      h(
        'vscode-button',
        { 'data-action': action.kind === 'retry' ? 'retry' : 'error-action', 'data-index': index, secondary: index > 0 },
        action.label,
      ),
    );
    notes.push(
      h(
        'div',
        { class: 'note error', role: 'alert' },
        codicon('error'),
        h(
          'div',
          { class: 'note-text' },
          h('div', {}, turn.error.message),
          turn.error.hint ? h('div', { class: 'note-detail' }, turn.error.hint) : null,
          actions.length ? h('div', { class: 'note-actions' }, ...actions) : null,
        ),
      ),
    );
  }
  return notes;
}

function renderSources(sources: readonly Source[]): HTMLElement {
  return h(
    'div',
    { class: 'sources' },
    h('div', { class: 'sources-heading' }, codicon('references'), `Sources (${sources.length})`),
    h(
      'ol',
      { class: 'source-list' },
      ...sources.map((s) => {
        const lines = s.startLine === s.endLine ? `${s.startLine}` : `${s.startLine}-${s.endLine}`;
        const crumb = s.breadcrumb.filter(Boolean).join(' › ') || s.title || s.path;
        return h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'source-link', 'data-action': 'open-source', 'data-source': s.n, title: `${s.path}:${lines}` },
            h('span', { class: 'source-n' }, String(s.n)),
            h('span', { class: 'source-crumb' }, crumb),
            h('span', { class: 'source-path' }, `${s.path}:${lines}`),
          ),
        );
      }),
    ),
  );
}

function renderFooter(turn: Turn): HTMLElement[] {
  if (turn.status === 'streaming') return [];
  const parts = turn.stats ? formatStatsParts(turn.stats) : [];
  const dropped = turn.stats ? formatContextDropped(turn.stats) : undefined;
  const answered = !turn.guardrail && turn.answer !== '';
  const up = iconButton(turn.rating === 'up' ? 'thumbsup-filled' : 'thumbsup', 'Helpful', 'rate-up', {
    toggleable: true,
    checked: turn.rating === 'up',
  });
  const down = iconButton(turn.rating === 'down' ? 'thumbsdown-filled' : 'thumbsdown', 'Not helpful', 'rate-down', {
    toggleable: true,
    checked: turn.rating === 'down',
  });
  return [
    h(
      'div',
      { class: 'footer' },
      h('span', { class: 'stats' }, parts.join(' · ')),
      dropped ? h('span', { class: 'dropped', title: dropped }, codicon('info'), dropped) : null,
      h(
        'span',
        { class: 'footer-actions', role: 'toolbar', 'aria-label': 'Answer actions' },
        answered ? up : null,
        answered ? down : null,
        answered ? iconButton('copy', 'Copy answer', 'copy-answer') : null,
        iconButton('refresh', 'Retry', 'retry'),
      ),
    ),
  ];
}
