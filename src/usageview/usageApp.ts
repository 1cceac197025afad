/**
 * The usage report webview's controller: paints the saved report at once, posts `ready`, then
 * shows each validated `usage/report`; the period picker and the export button become protocol
 * messages. Malformed messages are dropped.
 */
import { h } from '../webview/dom';
import { renderReport } from './reportView';
import type { UsageRange, UsageReport, UsageSavedState } from './usageMessages';
import { migrateUsageState, parseUsageHostMessage, USAGE_PROTOCOL_VERSION, USAGE_RANGES } from './usageMessages';
import type { UsageHost } from './usageHost';

const RANGE_LABELS: Record<UsageRange, string> = { '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days', all: 'All time' };

/** One per webview load. */
export class UsageApp {
  state: UsageSavedState;
  private readonly body = h('main', { class: 'body', 'aria-live': 'polite' });
  private readonly rangeSelect = h(
    'select',
    { class: 'range-select', 'aria-label': 'Period' },
    ...USAGE_RANGES.map((r) => h('option', { value: r }, RANGE_LABELS[r])),
  );
  private readonly notice = h(
    'div',
    { class: 'notice', role: 'alert', hidden: true },
    'This view is out of date with the extension. Close and reopen the usage report.',
  );

  constructor(
    private readonly host: UsageHost,
    root: HTMLElement,
  ) {
    this.state = migrateUsageState(host.loadState());
    const header = h(
      'header',
      { class: 'header' },
      h('h1', {}, 'Bedrock Docs usage'),
      h(
        'div',
        { class: 'controls' },
        h('label', {}, 'Period ', this.rangeSelect),
        h('button', { type: 'button', class: 'button', 'data-action': 'export' }, 'Export CSV'),
      ),
    );
    this.rangeSelect.value = this.state.range;
    this.rangeSelect.addEventListener('change', () => this.setRange(this.rangeSelect.value as UsageRange));
    root.replaceChildren(header, this.notice, this.body);
    root.removeAttribute('aria-busy');
    root.addEventListener('click', (e) => this.onClick(e));
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    this.render();
    host.post({ type: 'ready', protocolVersion: USAGE_PROTOCOL_VERSION, range: this.state.range });
  }

  /** Validates and shows one message from the extension. */
  receive(raw: unknown): void {
    const parsed = parseUsageHostMessage(raw);
    if (!parsed.ok) return;
    const message = parsed.value;
    this.notice.hidden = message.protocolVersion === USAGE_PROTOCOL_VERSION;
    // A report for a range the user has since left is stale: the next one is on its way.
    if (message.report.range !== this.state.range) return;
    this.state = { ...this.state, report: message.report };
    this.host.saveState(this.state);
    this.render();
  }

  private setRange(range: UsageRange): void {
    if (!(USAGE_RANGES as readonly string[]).includes(range) || range === this.state.range) return;
    this.state = { ...this.state, range, report: null };
    this.host.saveState(this.state);
    this.render();
    this.host.post({ type: 'usage/range', range });
  }

  private onClick(e: MouseEvent): void {
    const target = (e.target as Element | null)?.closest('[data-action]');
    switch (target?.getAttribute('data-action')) {
      case 'export':
        this.host.post({ type: 'usage/exportCsv', range: this.state.range });
        return;
      case 'open-settings':
        this.host.post({ type: 'usage/openSettings' });
        return;
    }
  }

  private render(): void {
    const report: UsageReport | null = this.state.report;
    this.body.setAttribute('aria-busy', report ? 'false' : 'true');
    this.body.replaceChildren(report ? renderReport(report) : h('p', { class: 'loading' }, 'Loading usage…'));
  }
}
