/**
 * BM25F full-text engine over typed arrays: the ranking behind the Orama index component
 * (`oramaTextComponent.ts`). Orama 3.1's own full-text scoring ranks natural-language questions
 * poorly (tf normalised by unique tokens, prefix expansion always on: see
 * shared/reference/retrieval-facts.md), so the text side of the index is owned here.
 *
 * Layout: one posting list per term (doc ids + per-field term frequencies packed 8 bits a field),
 * field lengths per doc, and a term-at-a-time query over a score accumulator. Removal is exact
 * (each doc keeps its unique term ids). Everything is a typed array: about 8 bytes per posting.
 */
import { analyze, analyzePath } from './analyzer';

/** Fields of a chunk, in packing order. */
export const TEXT_FIELDS = ['body', 'title', 'headings', 'path'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type TextFields = Record<TextField, string>;

export interface Bm25fParams {
  k1: number;
  /** Weight of each field's term frequency. */
  weights: Record<TextField, number>;
  /** Length normalisation per field (0 = none, 1 = full). */
  b: Record<TextField, number>;
  /**
   * Query terms found in more than this share of documents are dropped when at least
   * `minQueryTerms` rarer ones remain: they barely change the ranking and dominate the cost.
   */
  maxDfRatio: number;
  minQueryTerms: number;
  /**
   * Term proximity: the best `proximityCandidates` BM25F hits gain `proximityWeight` x the mean idf
   * of each pair of consecutive query terms that also stands consecutively in the chunk's headings
   * or body ("function timeout" in "maximum function timeout?"). On aws-docs-qa this lifted
   * recall@5 0.87 -> 0.90 and MRR 0.74 -> 0.80; 0 turns it off.
   */
  proximityWeight: number;
  proximityCandidates: number;
}

export const DEFAULT_BM25F: Bm25fParams = {
  k1: 1.2,
  weights: { body: 1, title: 2, headings: 2, path: 2 },
  b: { body: 0.75, title: 0.5, headings: 0.5, path: 0.5 },
  maxDfRatio: 0.2,
  minQueryTerms: 3,
  proximityWeight: 1,
  proximityCandidates: 100,
};

export interface TextHit {
  docId: number;
  score: number;
}

const FIELD_COUNT = TEXT_FIELDS.length;
const TF_MAX = 255;

function grow<T extends Int32Array | Uint32Array | Uint16Array | Uint8Array | Float32Array>(arr: T, min: number): T {
  if (arr.length >= min) return arr;
  let size = Math.max(4, arr.length);
  while (size < min) size *= 2;
  const next = new (arr.constructor as new (n: number) => T)(size);
  next.set(arr);
  return next;
}

export class TextEngine {
  private readonly params: Bm25fParams;
  private readonly termIds = new Map<string, number>();
  private postDocs: Int32Array[] = [];
  private postTfs: Uint32Array[] = [];
  private postLen = new Int32Array(1024);
  private fieldLen: Uint16Array[] = TEXT_FIELDS.map(() => new Uint16Array(1024));
  private readonly fieldTotal = new Float64Array(FIELD_COUNT);
  private docTerms: Array<Int32Array | undefined> = [];
  /** Sorted unique hashes of consecutive term pairs in headings and body, per doc. */
  private docPairs: Array<Uint32Array | undefined> = [];
  private alive = new Uint8Array(1024);
  private count = 0;
  private norms: Float32Array[] = TEXT_FIELDS.map(() => new Float32Array(0));
  private normsDirty = true;
  private acc = new Float32Array(1024);
  private touched = new Int32Array(1024);

  constructor(params: Partial<Bm25fParams> = {}) {
    this.params = { ...DEFAULT_BM25F, ...params };
  }

  /** Number of documents indexed. */
  get size(): number {
    return this.count;
  }

  /** Number of distinct terms. */
  get vocabularySize(): number {
    return this.termIds.size;
  }

  /** Inverse document frequency of an analysed term (0 when unknown). */
  idf(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.idfOf(id);
  }

  has(docId: number): boolean {
    return this.alive[docId] === 1;
  }

  /** Indexes a document under `docId` (a small non-negative integer); replaces an existing one. */
  add(docId: number, fields: TextFields): void {
    if (this.has(docId)) this.remove(docId);
    const tfs = new Map<number, number>();
    const pairs = new Set<number>();
    for (let f = 0; f < FIELD_COUNT; f++) {
      const field = TEXT_FIELDS[f]!;
      const terms = field === 'path' ? analyzePath(fields.path) : analyze(fields[field]);
      const pairable = field === 'body' || field === 'headings';
      let previous = -1;
      this.fieldLen[f] = grow(this.fieldLen[f]!, docId + 1);
      this.fieldLen[f]![docId] = Math.min(terms.length, 65535);
      this.fieldTotal[f]! += Math.min(terms.length, 65535);
      const shift = f * 8;
      for (const term of terms) {
        const id = this.termId(term);
        const packed = tfs.get(id) ?? 0;
        const tf = (packed >>> shift) & 0xff;
        if (tf < TF_MAX) tfs.set(id, (packed + (1 << shift)) >>> 0);
        if (pairable) {
          if (previous >= 0) pairs.add(pairHash(previous, id));
          previous = id;
        }
      }
    }
    this.docPairs[docId] = Uint32Array.from(pairs).sort();
    const unique = new Int32Array(tfs.size);
    let i = 0;
    for (const [id, packed] of tfs) {
      unique[i++] = id;
      const len = this.postLen[id]!;
      this.postDocs[id] = grow(this.postDocs[id]!, len + 1);
      this.postTfs[id] = grow(this.postTfs[id]!, len + 1);
      this.postDocs[id]![len] = docId;
      this.postTfs[id]![len] = packed;
      this.postLen[id] = len + 1;
    }
    this.docTerms[docId] = unique;
    this.alive = grow(this.alive, docId + 1);
    this.alive[docId] = 1;
    this.count++;
    this.normsDirty = true;
  }

  /** Removes a document; a no-op when it is not indexed. */
  remove(docId: number): void {
    if (!this.has(docId)) return;
    const terms = this.docTerms[docId]!;
    for (const id of terms) {
      const docs = this.postDocs[id]!;
      const tfs = this.postTfs[id]!;
      const last = this.postLen[id]! - 1;
      for (let p = last; p >= 0; p--) {
        if (docs[p] === docId) {
          docs[p] = docs[last]!;
          tfs[p] = tfs[last]!;
          this.postLen[id] = last;
          break;
        }
      }
    }
    for (let f = 0; f < FIELD_COUNT; f++) this.fieldTotal[f]! -= this.fieldLen[f]![docId]!;
    this.docTerms[docId] = undefined;
    this.docPairs[docId] = undefined;
    this.alive[docId] = 0;
    this.count--;
    this.normsDirty = true;
  }

  /**
   * Top `k` documents for a natural-language query, best first. `allowed` restricts the result
   * (metadata filters resolved by Orama). Scores are BM25F: comparable within one query only.
   */
  search(query: string, k: number, allowed?: ReadonlySet<number>): TextHit[] {
    if (this.count === 0 || k <= 0) return [];
    const analyzed = analyze(query);
    const terms = this.queryTerms(analyzed);
    if (terms.length === 0) return [];
    this.refreshNorms();
    const { k1 } = this.params;
    const weights = TEXT_FIELDS.map((f) => this.params.weights[f]);
    const n = this.count;
    const capacity = this.alive.length;
    if (this.acc.length < capacity) {
      this.acc = new Float32Array(capacity);
      this.touched = new Int32Array(capacity);
    }
    const acc = this.acc;
    const touched = this.touched;
    let touchedCount = 0;
    const [n0, n1, n2, n3] = this.norms as [Float32Array, Float32Array, Float32Array, Float32Array];
    const [w0, w1, w2, w3] = weights as [number, number, number, number];
    for (const id of terms) {
      const df = this.postLen[id]!;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const docs = this.postDocs[id]!;
      const tfs = this.postTfs[id]!;
      for (let p = 0; p < df; p++) {
        const doc = docs[p]!;
        if (allowed && !allowed.has(doc)) continue;
        const packed = tfs[p]!;
        const tf =
          w0 * (packed & 0xff) * n0[doc]! +
          w1 * ((packed >>> 8) & 0xff) * n1[doc]! +
          w2 * ((packed >>> 16) & 0xff) * n2[doc]! +
          w3 * (packed >>> 24) * n3[doc]!;
        if (acc[doc] === 0) touched[touchedCount++] = doc;
        acc[doc]! += (idf * tf * (k1 + 1)) / (k1 + tf);
      }
    }
    const { proximityWeight, proximityCandidates } = this.params;
    const hits = topK(acc, touched, touchedCount, proximityWeight > 0 ? Math.max(k, proximityCandidates) : k);
    for (let i = 0; i < touchedCount; i++) acc[touched[i]!] = 0;
    if (proximityWeight > 0) {
      this.addProximity(analyzed, hits, proximityWeight);
      hits.sort((a, b) => b.score - a.score || a.docId - b.docId);
    }
    return hits.length > k ? hits.slice(0, k) : hits;
  }

  private addProximity(analyzed: string[], hits: TextHit[], weight: number): void {
    const queryPairs: Array<{ hash: number; weight: number }> = [];
    for (let i = 0; i + 1 < analyzed.length; i++) {
      const a = this.termIds.get(analyzed[i]!);
      const b = this.termIds.get(analyzed[i + 1]!);
      if (a === undefined || b === undefined || a === b) continue;
      queryPairs.push({ hash: pairHash(a, b), weight: (weight * (this.idfOf(a) + this.idfOf(b))) / 2 });
    }
    if (queryPairs.length === 0) return;
    for (const hit of hits) {
      const pairs = this.docPairs[hit.docId];
      if (!pairs) continue;
      for (const pair of queryPairs) if (sortedHas(pairs, pair.hash)) hit.score += pair.weight;
    }
  }

  private idfOf(id: number): number {
    const df = this.postLen[id]!;
    return df === 0 ? 0 : Math.log(1 + (this.count - df + 0.5) / (df + 0.5));
  }

  /** Unique known term ids of a query, rarest first, with very common terms dropped. */
  private queryTerms(analyzed: string[]): number[] {
    const ids: number[] = [];
    for (const term of new Set(analyzed)) {
      const id = this.termIds.get(term);
      if (id !== undefined && this.postLen[id]! > 0) ids.push(id);
    }
    ids.sort((a, b) => this.postLen[a]! - this.postLen[b]!);
    const { maxDfRatio, minQueryTerms } = this.params;
    const limit = maxDfRatio * this.count;
    let keep = ids.length;
    while (keep > minQueryTerms && this.postLen[ids[keep - 1]!]! > limit) keep--;
    return ids.slice(0, keep);
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termIds.size;
      this.termIds.set(term, id);
      this.postDocs.push(new Int32Array(2));
      this.postTfs.push(new Uint32Array(2));
      this.postLen = grow(this.postLen, id + 1);
    }
    return id;
  }

  // Per-field 1 / (1 - b + b * len / avgLen): recomputed lazily after the index changed.
  private refreshNorms(): void {
    if (!this.normsDirty) return;
    const capacity = this.alive.length;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const b = this.params.b[TEXT_FIELDS[f]!];
      const avg = this.count > 0 ? this.fieldTotal[f]! / this.count : 1;
      const lens = this.fieldLen[f]!;
      let norm = this.norms[f]!;
      if (norm.length < capacity) norm = this.norms[f] = new Float32Array(capacity);
      for (let d = 0; d < capacity; d++) {
        const len = d < lens.length ? lens[d]! : 0;
        norm[d] = avg > 0 ? 1 / (1 - b + (b * len) / avg) : 1;
      }
    }
    this.normsDirty = false;
  }
}

/** A well-mixed 32-bit hash of an ordered pair of term ids (murmur3 finaliser). */
function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function sortedHas(arr: Uint32Array, value: number): boolean {
  let lo = 0;
  let hi = arr.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = arr[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The k best of acc[touched[0..count)], best first, via a small min-heap. */
function topK(acc: Float32Array, touched: Int32Array, count: number, k: number): TextHit[] {
  const heapDocs: number[] = [];
  const heapScores: number[] = [];
  const siftDown = (i: number): void => {
    const size = heapDocs.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && heapScores[l]! < heapScores[m]!) m = l;
      if (r < size && heapScores[r]! < heapScores[m]!) m = r;
      if (m === i) return;
      [heapDocs[i], heapDocs[m]] = [heapDocs[m]!, heapDocs[i]!];
      [heapScores[i], heapScores[m]] = [heapScores[m]!, heapScores[i]!];
      i = m;
    }
  };
  for (let i = 0; i < count; i++) {
    const doc = touched[i]!;
    const score = acc[doc]!;
    if (heapDocs.length < k) {
      heapDocs.push(doc);
      heapScores.push(score);
      let c = heapDocs.length - 1;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (heapScores[parent]! <= heapScores[c]!) break;
        [heapDocs[c], heapDocs[parent]] = [heapDocs[parent]!, heapDocs[c]!];
        [heapScores[c], heapScores[parent]] = [heapScores[parent]!, heapScores[c]!];
        c = parent;
      }
    } else if (score > heapScores[0]!) {
      heapDocs[0] = doc;
      heapScores[0] = score;
      siftDown(0);
    }
  }
  const hits = heapDocs.map((docId, i) => ({ docId, score: heapScores[i]! }));
  hits.sort((a, b) => b.score - a.score || a.docId - b.docId);
  return hits;
}
