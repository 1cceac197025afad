/**
 * Paces embedding requests: at most `maxConcurrency` in flight, optionally at most `maxPerSecond`
 * started per second, and an additive-increase / multiplicative-decrease window on top: each
 * throttling error halves the requests in flight (down to one), each success grows the window back
 * by 1/window. The SDK's adaptive retry mode already backs off per request; this keeps a whole
 * indexing run from pushing against the quota with every worker at once.
 */

/** Sleeps `ms`, rejecting with the signal's reason when it fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface AdaptiveLimiterOptions {
  /** Requests in flight at most (bedrockDocs.embeddings.concurrency). */
  maxConcurrency: number;
  /** Requests started per second at most; undefined = no limit. */
  maxPerSecond?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class AdaptiveLimiter {
  private inFlight = 0;
  private windowSize: number;
  private nextStart = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly now: () => number;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: AdaptiveLimiterOptions) {
    this.windowSize = Math.max(1, options.maxConcurrency);
    this.now = options.now ?? Date.now;
    this.wait = options.sleep ?? sleep;
  }

  /** Requests allowed in flight now. */
  get window(): number {
    return Math.floor(this.windowSize);
  }

  /** Waits for a free slot (and the next start time under `maxPerSecond`); pair with `release`. */
  async acquire(signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.window) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      if (signal?.aborted) throw signal.reason;
    }
    this.inFlight++;
    const rate = this.options.maxPerSecond;
    if (rate !== undefined && rate > 0) {
      const now = this.now();
      const start = Math.max(now, this.nextStart);
      this.nextStart = start + 1000 / rate;
      if (start > now) {
        try {
          await this.wait(start - now, signal);
        } catch (err) {
          this.release('error');
          throw err;
        }
      }
    }
  }

  /** Ends a request: `throttled` shrinks the window, `ok` grows it. */
  release(outcome: 'ok' | 'throttled' | 'error'): void {
    this.inFlight--;
    if (outcome === 'throttled') this.windowSize = Math.max(1, this.windowSize / 2);
    else if (outcome === 'ok') this.windowSize = Math.min(this.options.maxConcurrency, this.windowSize + 1 / this.windowSize);
    // Wake every waiter: each checks the window again (at most a few dozen workers).
    for (const wake of this.waiters.splice(0)) wake();
  }
}
