/**
 * A small seeded PRNG for fuzz-style tests, so a failure reproduces: each suite prints its seed,
 * and FUZZ_SEED=<n> replays it.
 */

/** Uniform numbers in [0, 1) and helpers, from a 32-bit seed (mulberry32). */
export interface Random {
  readonly seed: number;
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  bool(p?: number): boolean;
}

/** FUZZ_SEED from the environment when set, else `fallback`: fixed by default so CI is stable. */
export function fuzzSeed(fallback: number): number {
  const fromEnv = Number(process.env.FUZZ_SEED);
  return Number.isInteger(fromEnv) && process.env.FUZZ_SEED !== '' ? fromEnv >>> 0 : fallback >>> 0;
}

/** A mulberry32 generator: fast, 32-bit state, good enough to pick test cases. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    bool: (p = 0.5) => next() < p,
  };
}

/** `n` random bytes. */
export function randomBytes(random: Random, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = random.int(256);
  return out;
}
