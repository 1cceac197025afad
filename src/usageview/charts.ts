/**
 * Small inline-SVG charts for the usage report: stacked daily bars and horizontal share bars.
 * Colours come from CSS classes in media/usage.css (theme variables), never inline styles, which
 * the webview's CSP would block. Every chart has a text label and a <title> per bar for hover.
 */

const SVG = 'http://www.w3.org/2000/svg';

type SvgAttrs = Record<string, string | number>;

/** Creates an SVG element with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: SvgAttrs = {},
  ...children: Array<SVGElement | string>
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return el;
}

/** One stacked segment kind: its CSS class and legend label. */
export interface SeriesSpec {
  key: string;
  label: string;
  /** CSS class that colours it (e.g. `series-input`). */
  className: string;
}

/** One bar: its x label and the value of each series (missing = 0); `mark` adds a CSS class. */
export interface BarDatum {
  label: string;
  /** Shown in the bar's hover title, e.g. "Jan 5, 2026". */
  title: string;
  values: Record<string, number>;
  mark?: string;
  /** A short text drawn above the bar, e.g. "?" for a lower bound. */
  marker?: string;
}

/** How values read on the axis and in titles. */
export interface BarChartOptions {
  series: readonly SeriesSpec[];
  format: (value: number) => string;
  /** Screen-reader summary of the chart. */
  label: string;
  className?: string;
}

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { left: 56, right: 8, top: 10, bottom: 24 };

/** A "nice" axis maximum at or above `max`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** Stacked vertical bars, one per datum, with a 3-line value axis and first/middle/last x labels. */
export function stackedBarChart(data: readonly BarDatum[], options: BarChartOptions): SVGSVGElement {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const totals = data.map((d) => options.series.reduce((sum, s) => sum + (d.values[s.key] ?? 0), 0));
  const top = niceMax(Math.max(0, ...totals));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': options.label,
    class: `chart ${options.className ?? ''}`.trim(),
  });
  for (const tick of [0, top / 2, top]) {
    root.append(
      svg('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: 'grid' }),
      svg('text', { x: PAD.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis' }, options.format(tick)),
    );
  }
  const slot = plotW / Math.max(1, data.length);
  const barW = Math.max(1, Math.min(40, slot * 0.7));
  data.forEach((d, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const group = svg('g', { class: `bar${d.mark ? ` ${d.mark}` : ''}`, 'data-label': d.label });
    const parts = options.series.filter((s) => (d.values[s.key] ?? 0) > 0).map((s) => `${s.label} ${options.format(d.values[s.key] ?? 0)}`);
    group.append(svg('title', {}, `${d.title}: ${parts.length ? parts.join(', ') : 'none'}`));
    let base = 0;
    for (const s of options.series) {
      const v = d.values[s.key] ?? 0;
      if (v <= 0) continue;
      const y0 = y(base);
      const y1 = y(base + v);
      group.append(
        svg('rect', { x, y: y1, width: barW, height: Math.max(0.5, y0 - y1), class: `seg ${s.className}`, 'data-series': s.key }),
      );
      base += v;
    }
    // A day with nothing still gets a hover target.
    if (base === 0) group.append(svg('rect', { x, y: PAD.top, width: barW, height: plotH, class: 'seg empty' }));
    if (d.marker)
      group.append(
        svg('text', { x: x + barW / 2, y: Math.max(PAD.top + 8, y(base) - 3), 'text-anchor': 'middle', class: 'marker' }, d.marker),
      );
    root.append(group);
  });
  const labelled = data.length <= 1 ? [0] : [0, Math.floor((data.length - 1) / 2), data.length - 1];
  for (const i of [...new Set(labelled)]) {
    const d = data[i];
    if (!d) continue;
    const anchor = i === 0 ? 'start' : i === data.length - 1 ? 'end' : 'middle';
    const x = i === 0 ? PAD.left : i === data.length - 1 ? WIDTH - PAD.right : PAD.left + (i + 0.5) * slot;
    root.append(svg('text', { x, y: HEIGHT - 6, 'text-anchor': anchor, class: 'axis' }, d.label));
  }
  return root;
}

/** A legend for the series of a chart. */
export function legend(series: readonly SeriesSpec[]): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'legend';
  for (const s of series) {
    const item = document.createElement('li');
    const swatch = svg(
      'svg',
      { viewBox: '0 0 10 10', width: 10, height: 10, 'aria-hidden': 'true' },
      svg('rect', { width: 10, height: 10, class: s.className }),
    );
    item.append(swatch, document.createTextNode(s.label));
    list.append(item);
  }
  return list;
}

/** A horizontal bar filled to `share` (0-1, clamped), e.g. a budget or a cache-hit share. */
export function shareBar(share: number, label: string, className = 'fill'): SVGSVGElement {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(share) ? share : 0));
  return svg(
    'svg',
    { viewBox: '0 0 100 6', preserveAspectRatio: 'none', role: 'img', 'aria-label': label, class: 'share-bar' },
    svg('rect', { width: 100, height: 6, class: 'track' }),
    svg('rect', { width: clamped * 100, height: 6, class: className }),
  );
}
