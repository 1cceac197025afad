/**
 * The text engine as flat arrays, for snapshots: exported in the snapshot's chunk order (docs
 * renumbered 0..n-1, terms no doc uses dropped) and loaded back in slices without analysing any
 * text, which is what makes a restart of 100k chunks take seconds instead of a minute.
 */
import { BedrockDocsError } from '../errors';
import type { TimeSlicer } from './slices';
import { emptyTextEngineData, grow, TEXT_FIELDS, termHashOf } from './textEngine';
import type { TextEngine } from './textEngine';

/** Bump when analyze() output or this layout changes: snapshots then re-analyse their chunks. */
export const TEXT_INDEX_VERSION = 1;

const FIELD_COUNT = TEXT_FIELDS.length;

export interface TextIndexState {
  version: number;
  /** Docs are numbered 0..docCount-1, in the order of the snapshot's chunks. */
  docCount: number;
  terms: string[];
  /** Postings of term t: [termOffsets[t], termOffsets[t + 1]) of postingDocs / postingTfs. */
  termOffsets: Uint32Array;
  postingDocs: Uint32Array;
  /** Term frequency per field, 8 bits each, in TEXT_FIELDS order from the low byte. */
  postingTfs: Uint32Array;
  /** docCount x TEXT_FIELDS.length field lengths (terms). */
  fieldLengths: Uint16Array;
  /** Pair hashes of doc o: pairs[pairOffsets[o] .. pairOffsets[o + 1]), sorted. */
  pairOffsets: Uint32Array;
  pairs: Uint32Array;
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
  let total = 0;
  for (let t = 0; t < d.terms.length; t++) total += d.postLen[t]!;
  const postingDocs = new Uint32Array(total);
  const postingTfs = new Uint32Array(total);
  const terms: string[] = [];
  const offsets: number[] = [];
  let p = 0;
  let work = 0;
  for (let t = 0; t < d.terms.length; t++) {
    // Common terms have long posting lists: check the clock by work done, not by terms.
    if ((work += 64 + d.postLen[t]!) > 65536) {
      work = 0;
      if (slicer.due()) await slicer.pause();
    }
    const len = d.postLen[t]!;
    if (len === 0) continue;
    const start = p;
    const docs = d.postDocs[t]!;
    const tfs = d.postTfs[t]!;
    for (let i = 0; i < len; i++) {
      const o = ordinal[docs[i]!]!;
      if (o < 0) continue;
      postingDocs[p] = o;
      postingTfs[p++] = tfs[i]!;
    }
    if (p > start) {
      terms.push(d.terms[t]!);
      offsets.push(start);
    }
  }
  offsets.push(p);
  const fieldLengths = new Uint16Array(n * FIELD_COUNT);
  const pairOffsets = new Uint32Array(n + 1);
  let pairTotal = 0;
  for (let o = 0; o < n; o++) {
    const doc = order[o]!;
    for (let f = 0; f < FIELD_COUNT; f++) fieldLengths[o * FIELD_COUNT + f] = d.fieldLen[f]![doc] ?? 0;
    pairOffsets[o] = pairTotal;
    pairTotal += d.alive[doc] === 1 ? d.pairLen[doc]! : 0;
  }
  pairOffsets[n] = pairTotal;
  const pairs = new Uint32Array(pairTotal);
  for (let o = 0; o < n; o++) {
    if ((o & 1023) === 0 && slicer.due()) await slicer.pause();
    const doc = order[o]!;
    const start = d.pairStart[doc]!;
    pairs.set(d.pairData.subarray(start, start + pairOffsets[o + 1]! - pairOffsets[o]!), pairOffsets[o]!);
  }
  return {
    version: TEXT_INDEX_VERSION,
    docCount: n,
    terms,
    termOffsets: Uint32Array.from(offsets),
    postingDocs: postingDocs.subarray(0, p),
    postingTfs: postingTfs.subarray(0, p),
    fieldLengths,
    pairOffsets,
    pairs,
  };
}

/** What is wrong with a state for `docCount` docs, or undefined when it is usable. */
export function textIndexProblem(state: TextIndexState, docCount: number): string | undefined {
  if (state.version !== TEXT_INDEX_VERSION) return `text index version ${state.version} is not ${TEXT_INDEX_VERSION}`;
  if (state.docCount !== docCount) return `text index has ${state.docCount} docs, the snapshot ${docCount} chunks`;
  const v = state.terms.length;
  const offsets = state.termOffsets;
  if (offsets.length !== v + 1 || offsets[0] !== 0 || offsets[v] !== state.postingDocs.length || state.postingTfs.length !== state.postingDocs.length) return 'text index postings are inconsistent';
  for (let t = 0; t < v; t++) if (offsets[t]! > offsets[t + 1]!) return 'text index postings are out of order';
  for (const doc of state.postingDocs) if (doc >= docCount) return 'text index posting names a missing doc';
  if (state.fieldLengths.length !== docCount * FIELD_COUNT) return 'text index field lengths are inconsistent';
  const pairs = state.pairOffsets;
  if (pairs.length !== docCount + 1 || pairs[0] !== 0 || pairs[docCount] !== state.pairs.length) return 'text index pairs are inconsistent';
  for (let o = 0; o < docCount; o++) if (pairs[o]! > pairs[o + 1]! || pairs[o + 1]! - pairs[o]! > 65535) return 'text index pairs are out of order';
  return undefined;
}

/**
 * Replaces the engine's contents with a saved state; `docIds[o]` is the engine doc id of snapshot
 * doc `o`. Takes ownership of the state's arrays (postings are renumbered in place). Throws
 * INDEX_CORRUPT when the state is unusable; the engine is then unchanged.
 */
export async function loadTextIndex(engine: TextEngine, state: TextIndexState, docIds: Int32Array, slicer: TimeSlicer): Promise<void> {
  const n = docIds.length;
  const problem = textIndexProblem(state, n);
  if (problem) throw new BedrockDocsError('INDEX_CORRUPT', problem, 'The text index is rebuilt from the chunks.');
  let maxDoc = 0;
  for (const doc of docIds) maxDoc = Math.max(maxDoc, doc);
  const data = emptyTextEngineData();
  const capacity = Math.max(1024, 2 ** Math.ceil(Math.log2(maxDoc + 1)));
  data.alive = new Uint8Array(capacity);
  data.fieldLen = TEXT_FIELDS.map(() => new Uint16Array(capacity));
  data.termCount = new Uint16Array(capacity);
  data.pairStart = new Int32Array(capacity);
  data.pairLen = new Uint16Array(capacity);
  for (let o = 0; o < n; o++) {
    const doc = docIds[o]!;
    if (data.alive[doc] === 1) throw new BedrockDocsError('INDEX_CORRUPT', `doc ${doc} appears twice in the text index`);
    data.alive[doc] = 1;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const len = state.fieldLengths[o * FIELD_COUNT + f]!;
      data.fieldLen[f]![doc] = len;
      data.fieldTotal[f]! += len;
    }
    data.pairStart[doc] = state.pairOffsets[o]!;
    data.pairLen[doc] = state.pairOffsets[o + 1]! - state.pairOffsets[o]!;
  }
  data.count = n;
  data.pairData = state.pairs.length > 0 ? state.pairs : new Uint32Array(4096);
  data.pairTop = state.pairs.length;
  const v = state.terms.length;
  data.postLen = grow(new Int32Array(0), Math.max(1024, v));
  data.termHash = grow(new Uint32Array(0), Math.max(1024, v));
  const docs = new Int32Array(state.postingDocs.buffer, state.postingDocs.byteOffset, state.postingDocs.length);
  let work = 0;
  for (let t = 0; t < v; t++) {
    if ((work += 64 + state.termOffsets[t + 1]! - state.termOffsets[t]!) > 65536) {
      work = 0;
      if (slicer.due()) await slicer.pause();
    }
    const term = state.terms[t]!;
    if (data.termIds.has(term)) throw new BedrockDocsError('INDEX_CORRUPT', `term "${term}" appears twice in the text index`);
    data.termIds.set(term, t);
    data.terms.push(term);
    data.termHash[t] = termHashOf(term);
    const start = state.termOffsets[t]!;
    const end = state.termOffsets[t + 1]!;
    for (let p = start; p < end; p++) {
      const doc = docIds[docs[p]!]!;
      docs[p] = doc;
      if (data.termCount[doc]! < 65535) data.termCount[doc]!++;
    }
    data.postDocs.push(docs.subarray(start, end));
    data.postTfs.push(state.postingTfs.subarray(start, end));
    data.postLen[t] = end - start;
  }
  engine.replaceData(data);
}
