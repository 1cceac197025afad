/** Measuring helpers for `npm run bench`: percentiles, memory after GC, event-loop blocks, tables. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';

/** The p-th percentile (0-100) of a sample, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Times `run` once per input, returning milliseconds. */
export function timeEach<T>(inputs: readonly T[], run: (input: T) => unknown): number[] {
  return inputs.map((input) => {
    const started = performance.now();
    run(input);
    return performance.now() - started;
  });
}

const gc = (globalThis as { gc?: () => void }).gc;

/** True when the process was started with --expose-gc (memory figures need it). */
export const canCollect = typeof gc === 'function';

/** Heap used plus external memory (ArrayBuffers included) after full collections, in bytes. */
export async function settledMemory(): Promise<number> {
  // ArrayBuffer backing stores are swept after the collection: collect, let the sweeper run, again.
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const RESOLUTION_MS = 5;

/**
 * Longest event-loop block while `run` runs (ms). perf_hooks.monitorEventLoopDelay records the
 * interval between 5 ms timer ticks, so a block of B ms shows as about B + 5: the resolution is
 * taken off.
 */
export async function withLoopMonitor<T>(run: () => Promise<T>): Promise<{ result: T; maxBlockMs: number; p99BlockMs: number }> {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  try {
    const result = await run();
    const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    return { result, maxBlockMs: ms(histogram.max), p99BlockMs: ms(histogram.percentile(99)) };
  } finally {
    histogram.disable();
  }
}

/** A fixed-width text table. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A number for a table cell. */
export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
