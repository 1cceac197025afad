/**
 * The rendered Markdown of one answer. While it streams, each frame re-renders the text but only
 * replaces the top-level blocks whose HTML changed, so finished paragraphs and code blocks keep
 * their DOM (selection, focus, toolbars) and only the growing tail is rebuilt.
 */
import type { Source } from '../../protocol/conversation';
import { h, iconButton } from '../dom';
import { renderAnswerHtml } from '../markdown';

/** The Markdown body of one answer, patched block by block. */
export class AnswerBody {
  readonly element: HTMLElement;
  private rendered: string[] = [];
  private lastMarkdown = '';
  private lastSources: readonly Source[] = [];

  constructor() {
    this.element = h('div', { class: 'markdown-body' });
  }

  /** Renders `markdown` if it or the sources changed since the last call. */
  update(markdown: string, sources: readonly Source[]): void {
    if (markdown === this.lastMarkdown && sources === this.lastSources) return;
    this.lastMarkdown = markdown;
    this.lastSources = sources;
    const template = document.createElement('template');
    template.innerHTML = renderAnswerHtml(markdown, sources);
    const next = Array.from(template.content.childNodes);
    const nextHtml = next.map(nodeHtml);
    const current = Array.from(this.element.childNodes);
    for (let i = 0; i < next.length; i++) {
      if (this.rendered[i] === nextHtml[i] && current[i]) continue;
      const node = enhance(next[i] as Node);
      if (current[i]) this.element.replaceChild(node, current[i] as Node);
      else this.element.appendChild(node);
    }
    for (let i = current.length - 1; i >= next.length; i--) this.element.removeChild(current[i] as Node);
    this.rendered = nextHtml;
  }
}

function nodeHtml(node: Node): string {
  return node instanceof Element ? node.outerHTML : (node.textContent ?? '');
}

/** Adds the copy / insert / new-file toolbar to a code block (built here, not from model HTML). */
function enhance(node: Node): Node {
  if (!(node instanceof HTMLElement) || !node.classList.contains('code-block')) return node;
  const lang = node.dataset.lang ?? '';
  const toolbar = h(
    'div',
    { class: 'code-toolbar', role: 'toolbar', 'aria-label': `${lang || 'Code'} block actions` },
    h('span', { class: 'code-lang' }, lang || 'text'),
    iconButton('copy', 'Copy', 'code-copy'),
    iconButton('insert', 'Insert at cursor', 'code-insert'),
    iconButton('new-file', 'Open in new file', 'code-new-file'),
  );
  node.prepend(toolbar);
  return node;
}
