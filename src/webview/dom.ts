/** A tiny element builder: text goes in through textContent, never innerHTML. */

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

/** Creates `<tag>` with attributes (false/undefined skipped, true = empty) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children, turning strings into text nodes and skipping empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A codicon-labelled toolbar button (vscode-elements); `label` is its accessible name and tooltip. */
export function iconButton(icon: string, label: string, action: string, extra: Attrs = {}): HTMLElement {
  return h('vscode-toolbar-button', { icon, label, title: label, 'data-action': action, ...extra });
}

/** A decorative codicon in light DOM (codicon.css is on the page). */
export function codicon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}
