/**
 * Cooperative time slicing: index work at 100k chunks runs in slices of a few milliseconds that
 * yield to the event loop, so the extension host never blocks for more than ~50 ms (measured by
 * `npm run bench` with perf_hooks.monitorEventLoopDelay) and searches run between slices.
 */
import { BedrockDocsError } from '../errors';

/** Yields to the event loop (a macrotask, so I/O and timers run first). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Throws the CANCELLED error when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BedrockDocsError('CANCELLED', 'indexing was cancelled');
}

const now = (): number => performance.now();

/**
 * A time budget for a long loop: `if (slicer.due()) await slicer.pause()`. `due()` is a clock read,
 * cheap enough per iteration of anything heavier than a few array reads.
 */
export class TimeSlicer {
  private started = now();
  private waiting: Promise<void> | undefined;

  /** @param budgetMs work between two yields (ms); well under the 50 ms responsiveness target */
  constructor(
    readonly budgetMs = 10,
    private readonly signal?: AbortSignal,
  ) {}

  /** True once the current slice has used its budget. */
  due(): boolean {
    return now() - this.started >= this.budgetMs;
  }

  /**
   * Yields, then throws CANCELLED if the signal fired meanwhile, and starts a new slice. Loops that
   * share a slicer (concurrent workers) share one yield, so together they stay within the budget.
   */
  async pause(): Promise<void> {
    this.waiting ??= yieldToEventLoop().then(() => {
      this.waiting = undefined;
      this.started = now();
    });
    await this.waiting;
    throwIfAborted(this.signal);
  }

  /** Pauses only when the slice is used up. */
  async tick(): Promise<void> {
    if (this.due()) await this.pause();
  }
}
