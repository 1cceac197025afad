/**
 * BM25F full-text engine over typed arrays: the ranking behind the Orama index component
 * (`oramaTextComponent.ts`). Orama 3.1's own full-text scoring ranks natural-language questions
 * poorly (tf normalised by unique tokens, prefix expansion always on: see
 * shared/reference/retrieval-facts.md), so the text side of the index is owned here.
 *
 * Layout: one posting list per term (doc ids + per-field term frequencies packed 8 bits a field),
 * field lengths per doc, consecutive-term pair hashes per doc in shared 4 MB blocks, and a
 * term-at-a-time query over a score accumulator (rare terms first, very common ones dropped).
 * Removal re-analyses the doc's fields instead of keeping each doc's term list (a count per doc
 * checks it). The arrays live in `textEngineData.ts`; they export to and load from snapshots
 * (`textIndexState.ts`), so a restart restores the engine without analysing any text.
 */
import { analyze, analyzePath } from './analyzer';
import { SEGMENT_ENTRIES } from './segments';
import { appendPairs, emptyTextEngineData, grow, PAIR_MASK, PAIR_SHIFT, pairHash, TEXT_FIELDS, termHashOf } from './textEngineData';
import type { TextEngineData, TextField, TextFields } from './textEngineData';
import { topK } from './topK';

// The field list moved to textEngineData.ts; importers of these names from here keep working.
export { TEXT_FIELDS } from './textEngineData';
export type { TextField, TextFields } from './textEngineData';

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

/** The analysed terms of each field, in TEXT_FIELDS order. */
function analyzeFields(fields: TextFields): string[][] {
  return TEXT_FIELDS.map((field) => (field === 'path' ? analyzePath(fields.path) : analyze(fields[field])));
}

const FIELD_COUNT = TEXT_FIELDS.length;
const TF_MAX = 255;

export class TextEngine {
  private readonly params: Bm25fParams;
  private d: TextEngineData = emptyTextEngineData();
  private norms: Float32Array[] = TEXT_FIELDS.map(() => new Float32Array(0));
  private normsDirty = true;
  private acc = new Float32Array(1024);
  private touched = new Int32Array(1024);
  private scratch = new Uint32Array(1024);

  constructor(params: Partial<Bm25fParams> = {}) {
    this.params = { ...DEFAULT_BM25F, ...params };
  }

  /** Number of documents indexed. */
  get size(): number {
    return this.d.count;
  }

  /** Number of distinct terms (including terms no live document uses any more). */
  get vocabularySize(): number {
    return this.d.termIds.size;
  }

  /** The arrays behind the engine (read-only use: export). */
  get data(): Readonly<TextEngineData> {
    return this.d;
  }

  /** Replaces the whole state (a restore); the engine takes ownership of the arrays. */
  replaceData(data: TextEngineData): void {
    this.d = data;
    this.normsDirty = true;
  }

  /** Inverse document frequency of an analysed term (0 when unknown). */
  idf(term: string): number {
    const id = this.d.termIds.get(term);
    return id === undefined ? 0 : this.idfOf(id);
  }

  has(docId: number): boolean {
    return this.d.alive[docId] === 1;
  }

  /** Indexes a document under `docId` (a small non-negative integer); replaces an existing one. */
  add(docId: number, fields: TextFields): void {
    if (this.has(docId)) this.remove(docId);
    const d = this.d;
    this.ensureDocs(docId + 1);
    // Packed per-field frequencies of this doc's terms, in a scratch array indexed by term id.
    const unique: number[] = [];
    const pairs = new Set<number>();
    const analyzed = analyzeFields(fields);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const terms = analyzed[f]!;
      const pairable = f === 0 || f === 2; // body, headings
      let previous = -1;
      const length = Math.min(terms.length, 65535);
      d.fieldLen[f]![docId] = length;
      d.fieldTotal[f]! += length;
      const shift = f * 8;
      for (const term of terms) {
        const id = this.termId(term);
        const packed = this.scratch[id]!;
        if (packed === 0) unique.push(id);
        if (((packed >>> shift) & 0xff) < TF_MAX) this.scratch[id] = (packed + (1 << shift)) >>> 0;
        if (pairable) {
          if (previous >= 0) pairs.add(pairHash(d.termHash[previous]!, d.termHash[id]!));
          previous = id;
        }
      }
    }
    for (const id of unique) {
      const len = d.postLen[id]!;
      if (len === d.postDocs[id]!.length) {
        d.postDocs[id] = grow(d.postDocs[id]!, len + 1);
        d.postTfs[id] = grow(d.postTfs[id]!, len + 1);
      }
      d.postDocs[id]![len] = docId;
      d.postTfs[id]![len] = this.scratch[id]!;
      d.postLen[id] = len + 1;
      this.scratch[id] = 0;
    }
    d.termCount[docId] = Math.min(unique.length, 65535);
    this.storePairs(docId, Uint32Array.from(pairs).sort());
    d.alive[docId] = 1;
    d.count++;
    this.normsDirty = true;
  }

  /**
   * Removes a document; a no-op when it is not indexed. `fields` (what was indexed) lets the
   * removal visit only the doc's own posting lists; without them, or if they disagree with what
   * was indexed, every posting list is scanned.
   */
  remove(docId: number, fields?: TextFields): void {
    if (!this.has(docId)) return;
    const d = this.d;
    let removed = 0;
    if (fields) {
      const seen = new Set<number>();
      for (const terms of analyzeFields(fields)) {
        for (const term of terms) {
          const id = d.termIds.get(term);
          if (id === undefined || seen.has(id)) continue;
          seen.add(id);
          if (this.removePosting(id, docId)) removed++;
        }
      }
    }
    if (!fields || removed < d.termCount[docId]!) {
      for (let id = 0; id < d.terms.length; id++) this.removePosting(id, docId);
    }
    for (let f = 0; f < FIELD_COUNT; f++) d.fieldTotal[f]! -= d.fieldLen[f]![docId]!;
    d.pairGarbage += d.pairLen[docId]!;
    d.pairLen[docId] = 0;
    d.termCount[docId] = 0;
    d.alive[docId] = 0;
    d.count--;
    this.normsDirty = true;
  }

  /**
   * Top `k` documents for a natural-language query, best first. `allowed` restricts the result
   * (metadata filters resolved by Orama). Scores are BM25F: comparable within one query only.
   */
  search(query: string, k: number, allowed?: ReadonlySet<number>): TextHit[] {
    const d = this.d;
    if (d.count === 0 || k <= 0) return [];
    const analyzed = analyze(query);
    const terms = this.queryTerms(analyzed);
    if (terms.length === 0) return [];
    this.refreshNorms();
    const { k1 } = this.params;
    const n = d.count;
    const capacity = d.alive.length;
    if (this.acc.length < capacity) {
      this.acc = new Float32Array(capacity);
      this.touched = new Int32Array(capacity);
    }
    const acc = this.acc;
    const touched = this.touched;
    let touchedCount = 0;
    const [n0, n1, n2, n3] = this.norms as [Float32Array, Float32Array, Float32Array, Float32Array];
    const { body: w0, title: w1, headings: w2, path: w3 } = this.params.weights;
    for (const id of terms) {
      const df = d.postLen[id]!;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const docs = d.postDocs[id]!;
      const tfs = d.postTfs[id]!;
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
    const d = this.d;
    const queryPairs: Array<{ hash: number; weight: number }> = [];
    for (let i = 0; i + 1 < analyzed.length; i++) {
      const a = d.termIds.get(analyzed[i]!);
      const b = d.termIds.get(analyzed[i + 1]!);
      if (a === undefined || b === undefined || a === b) continue;
      queryPairs.push({ hash: pairHash(d.termHash[a]!, d.termHash[b]!), weight: (weight * (this.idfOf(a) + this.idfOf(b))) / 2 });
    }
    if (queryPairs.length === 0) return;
    for (const hit of hits) {
      const len = d.pairLen[hit.docId]!;
      if (len === 0) continue;
      const at = d.pairStart[hit.docId]!;
      const block = d.pairBlocks[at >>> PAIR_SHIFT]!;
      const start = at & PAIR_MASK;
      for (const pair of queryPairs) if (sortedHas(block, start, start + len, pair.hash)) hit.score += pair.weight;
    }
  }

  private idfOf(id: number): number {
    const df = this.d.postLen[id]!;
    return df === 0 ? 0 : Math.log(1 + (this.d.count - df + 0.5) / (df + 0.5));
  }

  /** Unique known term ids of a query, rarest first, with very common terms dropped. */
  private queryTerms(analyzed: string[]): number[] {
    const d = this.d;
    const ids: number[] = [];
    for (const term of new Set(analyzed)) {
      const id = d.termIds.get(term);
      if (id !== undefined && d.postLen[id]! > 0) ids.push(id);
    }
    ids.sort((a, b) => d.postLen[a]! - d.postLen[b]!);
    const { maxDfRatio, minQueryTerms } = this.params;
    const limit = maxDfRatio * d.count;
    let keep = ids.length;
    while (keep > minQueryTerms && d.postLen[ids[keep - 1]!]! > limit) keep--;
    return ids.slice(0, keep);
  }

  private termId(term: string): number {
    const d = this.d;
    let id = d.termIds.get(term);
    if (id === undefined) {
      id = d.terms.length;
      d.termIds.set(term, id);
      d.terms.push(term);
      d.postDocs.push(new Int32Array(2));
      d.postTfs.push(new Uint32Array(2));
      d.postLen = grow(d.postLen, id + 1);
      d.termHash = grow(d.termHash, id + 1);
      d.termHash[id] = termHashOf(term);
    }
    if (id >= this.scratch.length) this.scratch = grow(this.scratch, id + 1);
    return id;
  }

  private removePosting(id: number, docId: number): boolean {
    const d = this.d;
    const docs = d.postDocs[id]!;
    const last = d.postLen[id]! - 1;
    for (let p = last; p >= 0; p--) {
      if (docs[p] !== docId) continue;
      const tfs = d.postTfs[id]!;
      docs[p] = docs[last]!;
      tfs[p] = tfs[last]!;
      d.postLen[id] = last;
      return true;
    }
    return false;
  }

  private ensureDocs(min: number): void {
    const d = this.d;
    if (d.alive.length >= min) return;
    d.alive = grow(d.alive, min);
    const capacity = d.alive.length;
    d.fieldLen = d.fieldLen.map((a) => grow(a, capacity));
    d.termCount = grow(d.termCount, capacity);
    d.pairStart = grow(d.pairStart, capacity);
    d.pairLen = grow(d.pairLen, capacity);
  }

  // Pairs are appended; removed docs leave garbage, compacted once it outweighs the live pairs.
  private storePairs(docId: number, pairs: Uint32Array): void {
    const d = this.d;
    const count = Math.min(pairs.length, 65535);
    if (d.pairGarbage > 65536 && d.pairGarbage * 2 > this.pairValues()) this.compactPairs();
    d.pairStart[docId] = appendPairs(d, count < pairs.length ? pairs.subarray(0, count) : pairs);
    d.pairLen[docId] = count;
  }

  private pairValues(): number {
    const d = this.d;
    return Math.max(0, d.pairBlocks.length - 1) * SEGMENT_ENTRIES + d.pairTop;
  }

  private compactPairs(): void {
    const d = this.d;
    const old = d.pairBlocks;
    d.pairBlocks = [];
    d.pairTop = 0;
    d.pairGarbage = 0;
    for (let doc = 0; doc < d.alive.length; doc++) {
      const len = d.pairLen[doc]!;
      if (d.alive[doc] !== 1 || len === 0) continue;
      const at = d.pairStart[doc]!;
      const local = at & PAIR_MASK;
      d.pairStart[doc] = appendPairs(d, old[at >>> PAIR_SHIFT]!.subarray(local, local + len));
    }
  }

  // Per-field 1 / (1 - b + b * len / avgLen): recomputed lazily after the index changed.
  private refreshNorms(): void {
    if (!this.normsDirty) return;
    const d = this.d;
    const capacity = d.alive.length;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const b = this.params.b[TEXT_FIELDS[f]!];
      const avg = d.count > 0 ? d.fieldTotal[f]! / d.count : 1;
      const lens = d.fieldLen[f]!;
      let norm = this.norms[f]!;
      if (norm.length < capacity) norm = this.norms[f] = new Float32Array(capacity);
      for (let doc = 0; doc < capacity; doc++) {
        const len = doc < lens.length ? lens[doc]! : 0;
        norm[doc] = avg > 0 ? 1 / (1 - b + (b * len) / avg) : 1;
      }
    }
    this.normsDirty = false;
  }
}

function sortedHas(arr: Uint32Array, from: number, to: number, value: number): boolean {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = arr[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
