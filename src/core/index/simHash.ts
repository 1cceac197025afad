/**
 * SimHash codes for the vector pre-scan: the sign bits of a vector after a fixed pseudo-random
 * rotation (random ±1 diagonal then a Walsh-Hadamard transform, twice: O(d log d), ~35 µs at 1024
 * dimensions). The Hamming distance of two codes estimates the angle between the vectors
 * (Charikar 2002). Sign bits of the raw coordinates do this only for dense embeddings: on the fake
 * server's feature-hashed vectors (~150 of 1024 dimensions non-zero) they found 1-8 % of the exact
 * top 10 among 100-2000 candidates, rotated codes 98-100 % (aws-docs-qa, 24.8k chunks).
 */

/** Bump when the rotation changes: saved codes are then recomputed from the vectors. */
export const SIMHASH_VERSION = 1;

const ROUNDS = 2;
const SEED = 0x2545f491;

function fwht(a: Float32Array): void {
  const n = a.length;
  for (let h = 1; h < n; h <<= 1) {
    for (let i = 0; i < n; i += h << 1) {
      for (let j = i; j < i + h; j++) {
        const x = a[j]!;
        const y = a[j + h]!;
        a[j] = x + y;
        a[j + h] = x - y;
      }
    }
  }
}

export class SimHasher {
  /** 32-bit words of a code: one bit per dimension. */
  readonly words: number;
  private readonly size: number;
  private readonly signs: Float32Array[];
  private readonly scratch: Float32Array;

  constructor(readonly dimensions: number) {
    this.words = Math.ceil(dimensions / 32);
    // The transform needs a power of two: shorter vectors are padded with zeros.
    this.size = 2 ** Math.ceil(Math.log2(Math.max(2, dimensions)));
    this.scratch = new Float32Array(this.size);
    let s = SEED;
    const next = (): number => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return s >>> 0;
    };
    this.signs = Array.from({ length: ROUNDS }, () => Float32Array.from({ length: this.size }, () => (next() & 1 ? 1 : -1)));
  }

  /** Writes the code of `vector` (`dimensions` values) into `out` from word `offset`. */
  code(vector: ArrayLike<number>, out: Uint32Array = new Uint32Array(this.words), offset = 0): Uint32Array {
    const a = this.scratch;
    a.fill(0);
    for (let i = 0; i < this.dimensions; i++) a[i] = vector[i]!;
    for (const signs of this.signs) {
      for (let i = 0; i < this.size; i++) a[i]! *= signs[i]!;
      fwht(a);
    }
    for (let w = 0; w < this.words; w++) {
      let word = 0;
      const base = w * 32;
      for (let b = 0; b < 32 && base + b < this.dimensions; b++) if (a[base + b]! > 0) word |= 1 << b;
      out[offset + w] = word >>> 0;
    }
    return out;
  }
}
