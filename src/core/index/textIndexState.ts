/**
 * The text engine as flat arrays, for snapshots: exported in the snapshot's chunk order (docs
 * renumbered 0..n-1, terms no doc uses dropped) and loaded back in slices without analysing any
 * text, which is what makes a restart of 100k chunks take seconds instead of a minute. The large
 * arrays are segmented (segments.ts) so neither side ever allocates one huge buffer.
 */
import { BedrockDocsError } from '../errors';
import { copySegmented, isWellSegmented, segmentedLength, SegmentWriter } from './segments';
import type { TimeSlicer } from './slices';
import type { TextEngine } from './textEngine';
import { appendPairs, emptyTextEngineData, grow, PAIR_MASK, PAIR_SHIFT, TEXT_FIELDS, termHashOf } from './textEngineData';

/** Bump when analyze() output or this layout changes: snapshots then re-analyse their chunks. */
export const TEXT_INDEX_VERSION = 1;

const FIELD_COUNT = TEXT_FIELDS.length;
// Work units (array entries touched) between two clock checks.
const CHECK_EVERY = 65536;

export interface TextIndexState {
  version: number;
  /** Docs are numbered 0..docCount-1, in the order of the snapshot's chunks. */
  docCount: number;
  terms: string[];
  /** Postings of term t: entries [termOffsets[t], termOffsets[t + 1]) of postingDocs / postingTfs. */
  termOffsets: Uint32Array;
  /** Doc numbers, segmented (segments.ts). */
  postingDocs: Uint32Array[];
  /** Term frequency per field, 8 bits each, in TEXT_FIELDS order from the low byte; segmented. */
  postingTfs: Uint32Array[];
  /** docCount x TEXT_FIELDS.length field lengths (terms). */
  fieldLengths: Uint16Array;
  /** Pair hashes of doc o: entries [pairOffsets[o], pairOffsets[o + 1]) of pairs, sorted. */
  pairOffsets: Uint32Array;
  /** Segmented. */
  pairs: Uint32Array[];
}

/**
 * Exports the engine; `order[o]` is the engine doc id of snapshot doc `o`. The engine must not
 * change until the promise settles (the Indexer runs it inside its serialised sync).
 */
export async function exportTextIndex(engine: TextEngine, order: Int32Array, slicer: TimeSlicer): Promise<TextIndexState> {
  const d = engine.data;
  const n = order.length;
  const ordinal = new Int32Array(d.alive.length).fill(-1);
  for (let o = 0; o < n; o++) if (order[o]! < ordinal.length) ordinal[order[o]!] = o;
  const docsOut = new SegmentWriter();
  const tfsOut = new SegmentWriter();
  const terms: string[] = [];
  const offsets: number[] = [];
  let work = 0;
  for (let t = 0; t < d.terms.length; t++) {
    const len = d.postLen[t]!;
    // Common terms have long posting lists: check the clock by work done, not by terms.
    if ((work += 64 + len) > CHECK_EVERY) {
      work = 0;
      if (slicer.due()) await slicer.pause();
    }
    if (len === 0) continue;
    const start = docsOut.length;
    const docs = d.postDocs[t]!;
    const tfs = d.postTfs[t]!;
    for (let i = 0; i < len; i++) {
      const o = ordinal[docs[i]!]!;
      if (o < 0) continue;
      docsOut.push(o);
      tfsOut.push(tfs[i]!);
    }
    if (docsOut.length > start) {
      terms.push(d.terms[t]!);
      offsets.push(start);
    }
  }
  offsets.push(docsOut.length);
  const fieldLengths = new Uint16Array(n * FIELD_COUNT);
  const pairOffsets = new Uint32Array(n + 1);
  const pairsOut = new SegmentWriter();
  for (let o = 0; o < n; o++) {
    if ((work += 64) > CHECK_EVERY) {
      work = 0;
      if (slicer.due()) await slicer.pause();
    }
    const doc = order[o]!;
    for (let f = 0; f < FIELD_COUNT; f++) fieldLengths[o * FIELD_COUNT + f] = d.fieldLen[f]![doc] ?? 0;
    pairOffsets[o] = pairsOut.length;
    const len = d.alive[doc] === 1 ? d.pairLen[doc]! : 0;
    if (len > 0) {
      const at = d.pairStart[doc]!;
      const local = at & PAIR_MASK;
      pairsOut.pushRange(d.pairBlocks[at >>> PAIR_SHIFT]!, local, local + len);
    }
  }
  pairOffsets[n] = pairsOut.length;
  const termOffsets = new Uint32Array(offsets.length);
  for (let i = 0; i < offsets.length; i++) termOffsets[i] = offsets[i]!;
  return {
    version: TEXT_INDEX_VERSION,
    docCount: n,
    terms,
    termOffsets,
    postingDocs: docsOut.finish(),
    postingTfs: tfsOut.finish(),
    fieldLengths,
    pairOffsets,
    pairs: pairsOut.finish(),
  };
}

/**
 * What is wrong with a state for `docCount` docs, or undefined when it looks usable (postings that
 * name a missing doc are caught while loading).
 */
export function textIndexProblem(state: TextIndexState, docCount: number): string | undefined {
  if (state.version !== TEXT_INDEX_VERSION) return `text index version ${state.version} is not ${TEXT_INDEX_VERSION}`;
  if (state.docCount !== docCount) return `text index has ${state.docCount} docs, the snapshot ${docCount} chunks`;
  if (![state.postingDocs, state.postingTfs, state.pairs].every(isWellSegmented)) return 'text index segments are malformed';
  const v = state.terms.length;
  const offsets = state.termOffsets;
  const postings = segmentedLength(state.postingDocs);
  if (offsets.length !== v + 1 || offsets[0] !== 0 || offsets[v] !== postings || segmentedLength(state.postingTfs) !== postings)
    return 'text index postings are inconsistent';
  for (let t = 0; t < v; t++) if (offsets[t]! > offsets[t + 1]!) return 'text index postings are out of order';
  if (state.fieldLengths.length !== docCount * FIELD_COUNT) return 'text index field lengths are inconsistent';
  const pairs = state.pairOffsets;
  if (pairs.length !== docCount + 1 || pairs[0] !== 0 || pairs[docCount] !== segmentedLength(state.pairs))
    return 'text index pairs are inconsistent';
  for (let o = 0; o < docCount; o++)
    if (pairs[o]! > pairs[o + 1]! || pairs[o + 1]! - pairs[o]! > 65535) return 'text index pairs are out of order';
  return undefined;
}

/**
 * Replaces the engine's contents with a saved state; `docIds[o]` is the engine doc id of snapshot
 * doc `o`. Throws INDEX_CORRUPT when the state is unusable; the engine is then unchanged.
 */
export async function loadTextIndex(engine: TextEngine, state: TextIndexState, docIds: Int32Array, slicer: TimeSlicer): Promise<void> {
  const n = docIds.length;
  const problem = textIndexProblem(state, n);
  if (problem) throw new BedrockDocsError('INDEX_CORRUPT', problem, 'The text index is rebuilt from the chunks.');
  let maxDoc = 0;
  for (let o = 0; o < n; o++) if (docIds[o]! > maxDoc) maxDoc = docIds[o]!;
  const data = emptyTextEngineData();
  const capacity = Math.max(1024, 2 ** Math.ceil(Math.log2(maxDoc + 1)));
  data.alive = new Uint8Array(capacity);
  data.fieldLen = TEXT_FIELDS.map(() => new Uint16Array(capacity));
  data.termCount = new Uint16Array(capacity);
  data.pairStart = new Int32Array(capacity);
  data.pairLen = new Uint16Array(capacity);
  let work = 0;
  const scratch = new Uint32Array(65535);
  for (let o = 0; o < n; o++) {
    const doc = docIds[o]!;
    const from = state.pairOffsets[o]!;
    const len = state.pairOffsets[o + 1]! - from;
    if ((work += 64 + len) > CHECK_EVERY) {
      work = 0;
      if (slicer.due()) await slicer.pause();
    }
    if (doc < 0 || data.alive[doc] === 1) throw new BedrockDocsError('INDEX_CORRUPT', `doc ${doc} appears twice in the text index`);
    data.alive[doc] = 1;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const fieldLength = state.fieldLengths[o * FIELD_COUNT + f]!;
      data.fieldLen[f]![doc] = fieldLength;
      data.fieldTotal[f]! += fieldLength;
    }
    if (len > 0) {
      copySegmented(state.pairs, from, from + len, scratch);
      data.pairStart[doc] = appendPairs(data, scratch.subarray(0, len));
      data.pairLen[doc] = len;
    }
  }
  data.count = n;
  const v = state.terms.length;
  data.postLen = grow(new Int32Array(0), Math.max(1024, v));
  data.termHash = grow(new Uint32Array(0), Math.max(1024, v));
  for (let t = 0; t < v; t++) {
    const start = state.termOffsets[t]!;
    const end = state.termOffsets[t + 1]!;
    if ((work += 64 + end - start) > CHECK_EVERY) {
      work = 0;
      if (slicer.due()) await slicer.pause();
    }
    const term = state.terms[t]!;
    if (data.termIds.has(term)) throw new BedrockDocsError('INDEX_CORRUPT', `term "${term}" appears twice in the text index`);
    data.termIds.set(term, t);
    data.terms.push(term);
    data.termHash[t] = termHashOf(term);
    const docs = new Int32Array(Math.max(2, end - start));
    const tfs = new Uint32Array(docs.length);
    copySegmented(state.postingDocs, start, end, docs);
    copySegmented(state.postingTfs, start, end, tfs);
    for (let p = 0; p < end - start; p++) {
      const ordinal = docs[p]!;
      if (ordinal < 0 || ordinal >= n) throw new BedrockDocsError('INDEX_CORRUPT', 'a text index posting names a missing doc');
      const doc = docIds[ordinal]!;
      docs[p] = doc;
      if (data.termCount[doc]! < 65535) data.termCount[doc]!++;
    }
    data.postDocs.push(docs);
    data.postTfs.push(tfs);
    data.postLen[t] = end - start;
  }
  engine.replaceData(data);
}
