/**
 * Chunk vectors, kept out of Orama (it stores each vector twice as number[] and scans without a
 * top-k heap: shared/reference/orama-facts.md). Two matrices indexed by Orama's internal doc id:
 * float32 rows for exact scores and sign bits (1 bit a dimension) for a fast Hamming pre-scan;
 * the best `rescore` candidates by Hamming distance are then scored exactly. Measured recall@10
 * against the exact scan is reported by `npm run bench`.
 */

export interface VectorHit {
  docId: number;
  /** Cosine similarity (vectors are L2-normalised). */
  score: number;
}

/** Bits set in a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export class VectorStore {
  readonly dimensions: number;
  private readonly words: number;
  private floats: Float32Array;
  private bits: Uint32Array;
  private present: Uint8Array;
  private count = 0;

  constructor(dimensions: number, initialCapacity = 1024) {
    if (!Number.isInteger(dimensions) || dimensions <= 0 || dimensions % 32 !== 0) {
      throw new RangeError(`vector dimensions must be a positive multiple of 32, got ${dimensions}`);
    }
    this.dimensions = dimensions;
    this.words = dimensions / 32;
    this.floats = new Float32Array(initialCapacity * dimensions);
    this.bits = new Uint32Array(initialCapacity * this.words);
    this.present = new Uint8Array(initialCapacity);
  }

  /** Vectors stored. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the matrices (capacity, not just the used rows). */
  get byteLength(): number {
    return this.floats.byteLength + this.bits.byteLength + this.present.byteLength;
  }

  has(docId: number): boolean {
    return this.present[docId] === 1;
  }

  /** The stored vector (a copy), or undefined. */
  get(docId: number): Float32Array | undefined {
    if (!this.has(docId)) return undefined;
    return this.floats.slice(docId * this.dimensions, (docId + 1) * this.dimensions);
  }

  /** Stores an L2-normalised vector for `docId`, replacing any previous one. */
  set(docId: number, vector: Float32Array): void {
    if (vector.length !== this.dimensions) {
      throw new RangeError(`vector has ${vector.length} dimensions, the index ${this.dimensions}`);
    }
    this.ensure(docId + 1);
    this.floats.set(vector, docId * this.dimensions);
    const base = docId * this.words;
    for (let w = 0; w < this.words; w++) {
      let word = 0;
      for (let b = 0; b < 32; b++) if (vector[w * 32 + b]! > 0) word |= 1 << b;
      this.bits[base + w] = word >>> 0;
    }
    if (this.present[docId] !== 1) this.count++;
    this.present[docId] = 1;
  }

  delete(docId: number): void {
    if (!this.has(docId)) return;
    this.present[docId] = 0;
    this.count--;
  }

  /**
   * Top `k` by cosine. `rescore` candidates are chosen by Hamming distance on the sign bits, then
   * scored exactly; `rescore: Infinity` (or >= size) is the exact scan.
   */
  search(query: Float32Array, k: number, options: { allowed?: ReadonlySet<number>; rescore?: number } = {}): VectorHit[] {
    if (k <= 0 || this.count === 0) return [];
    const rescore = Math.max(k, options.rescore ?? 200);
    const allowed = options.allowed;
    const candidates = rescore >= this.count ? this.allIds(allowed) : this.hammingCandidates(query, rescore, allowed);
    const hits: VectorHit[] = [];
    for (const docId of candidates) hits.push({ docId, score: this.dot(query, docId) });
    hits.sort((a, b) => b.score - a.score || a.docId - b.docId);
    return hits.slice(0, k);
  }

  /** Exact top `k`: every stored vector scored in float. The baseline the benchmark compares with. */
  exactSearch(query: Float32Array, k: number, allowed?: ReadonlySet<number>): VectorHit[] {
    return this.search(query, k, { allowed, rescore: Infinity });
  }

  private allIds(allowed?: ReadonlySet<number>): number[] {
    const ids: number[] = [];
    for (let d = 0; d < this.present.length; d++) if (this.present[d] === 1 && (!allowed || allowed.has(d))) ids.push(d);
    return ids;
  }

  private hammingCandidates(query: Float32Array, n: number, allowed?: ReadonlySet<number>): number[] {
    const words = this.words;
    const q = new Uint32Array(words);
    for (let w = 0; w < words; w++) {
      let word = 0;
      for (let b = 0; b < 32; b++) if (query[w * 32 + b]! > 0) word |= 1 << b;
      q[w] = word >>> 0;
    }
    // Counting sort by distance: distances are small integers (0..dimensions), so keep a histogram
    // and a capped list per distance instead of sorting every doc.
    const maxDistance = this.dimensions;
    const buckets: number[][] = [];
    let kept = 0;
    let limit = maxDistance;
    let checkAt = n * 2;
    const bits = this.bits;
    const present = this.present;
    for (let d = 0; d < present.length; d++) {
      if (present[d] !== 1 || (allowed && !allowed.has(d))) continue;
      const base = d * words;
      let dist = 0;
      for (let w = 0; w < words; w++) dist += popcount(bits[base + w]! ^ q[w]!);
      if (dist > limit) continue;
      (buckets[dist] ??= []).push(d);
      kept++;
      // Once n candidates are kept, tighten the limit to the distance that still fits n.
      if (kept > checkAt) {
        let running = 0;
        for (let t = 0; t <= limit; t++) {
          running += buckets[t]?.length ?? 0;
          if (running >= n) {
            for (let u = t + 1; u <= limit; u++) if (buckets[u]) {
              kept -= buckets[u]!.length;
              buckets[u] = [];
            }
            limit = t;
            break;
          }
        }
        checkAt = Math.max(n * 2, kept * 2);
      }
    }
    const out: number[] = [];
    for (let t = 0; t <= limit && out.length < n; t++) for (const d of buckets[t] ?? []) if (out.length < n) out.push(d);
    return out;
  }

  private dot(query: Float32Array, docId: number): number {
    const f = this.floats;
    const base = docId * this.dimensions;
    let s = 0;
    for (let i = 0; i < this.dimensions; i++) s += query[i]! * f[base + i]!;
    return s;
  }

  private ensure(rows: number): void {
    if (this.present.length >= rows) return;
    let capacity = Math.max(1, this.present.length);
    while (capacity < rows) capacity *= 2;
    const floats = new Float32Array(capacity * this.dimensions);
    floats.set(this.floats);
    const bits = new Uint32Array(capacity * this.words);
    bits.set(this.bits);
    const present = new Uint8Array(capacity);
    present.set(this.present);
    this.floats = floats;
    this.bits = bits;
    this.present = present;
  }
}
