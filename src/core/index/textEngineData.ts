/**
 * The text engine's storage: typed arrays indexed by term id and doc id, plus the helpers that
 * grow them. Kept apart from the ranking (textEngine.ts) so snapshots (textIndexState.ts) can
 * export and load the arrays without touching the engine's logic.
 */
import { SEGMENT_ENTRIES } from './segments';

/** Fields of a chunk, in packing order. */
export const TEXT_FIELDS = ['body', 'title', 'headings', 'path'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type TextFields = Record<TextField, string>;

const FIELD_COUNT = TEXT_FIELDS.length;

/** Pair blocks hold SEGMENT_ENTRIES values: a block index and an offset share pairStart. */
export const PAIR_SHIFT = Math.log2(SEGMENT_ENTRIES);
export const PAIR_MASK = SEGMENT_ENTRIES - 1;

/** Typed arrays the engine grows by doubling. */
export type Growable = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float32Array;

/** `arr`, or a copy at least `min` long (doubling). */
export function grow<T extends Growable>(arr: T, min: number): T {
  if (arr.length >= min) return arr;
  let size = Math.max(4, arr.length);
  while (size < min) size *= 2;
  const next = new (arr.constructor as new (n: number) => T)(size);
  next.set(arr);
  return next;
}

/** FNV-1a of a term: the pair hashes are built from it, so they survive term renumbering. */
export function termHashOf(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A well-mixed 32-bit hash of an ordered pair of term hashes (murmur3 finaliser). */
export function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The engine's arrays; `textIndexState.ts` exports and loads them. */
export interface TextEngineData {
  termIds: Map<string, number>;
  terms: string[];
  termHash: Uint32Array;
  postDocs: Int32Array[];
  postTfs: Uint32Array[];
  postLen: Int32Array;
  fieldLen: Uint16Array[];
  fieldTotal: Float64Array;
  /** Unique terms per doc (capped at 65535), to check a removal found them all. */
  termCount: Uint16Array;
  /**
   * Sorted unique pair hashes of doc d: pairLen[d] values from offset pairStart[d] & PAIR_MASK of
   * block pairBlocks[pairStart[d] >>> PAIR_SHIFT]; a doc's pairs never straddle two blocks.
   */
  pairStart: Int32Array;
  pairLen: Uint16Array;
  pairBlocks: Uint32Array[];
  /** Values used in the last block. */
  pairTop: number;
  /** Values of removed docs still in the blocks. */
  pairGarbage: number;
  alive: Uint8Array;
  count: number;
}

/** An empty engine's arrays. */
export function emptyTextEngineData(): TextEngineData {
  return {
    termIds: new Map(),
    terms: [],
    termHash: new Uint32Array(1024),
    postDocs: [],
    postTfs: [],
    postLen: new Int32Array(1024),
    fieldLen: TEXT_FIELDS.map(() => new Uint16Array(1024)),
    fieldTotal: new Float64Array(FIELD_COUNT),
    termCount: new Uint16Array(1024),
    pairStart: new Int32Array(1024),
    pairLen: new Uint16Array(1024),
    pairBlocks: [],
    pairTop: 0,
    pairGarbage: 0,
    alive: new Uint8Array(1024),
    count: 0,
  };
}

/**
 * Appends one doc's pairs to the last block (grown by doubling up to SEGMENT_ENTRIES values, then a
 * new block); returns the doc's pairStart.
 */
export function appendPairs(d: TextEngineData, pairs: Uint32Array): number {
  let block = d.pairBlocks[d.pairBlocks.length - 1];
  if (!block || d.pairTop + pairs.length > SEGMENT_ENTRIES) {
    block = new Uint32Array(Math.max(1024, pairs.length));
    d.pairBlocks.push(block);
    d.pairTop = 0;
  } else if (d.pairTop + pairs.length > block.length) {
    let size = block.length;
    while (size < d.pairTop + pairs.length) size *= 2;
    const next = new Uint32Array(Math.min(SEGMENT_ENTRIES, size));
    next.set(block.subarray(0, d.pairTop));
    block = d.pairBlocks[d.pairBlocks.length - 1] = next;
  }
  block.set(pairs, d.pairTop);
  const start = (d.pairBlocks.length - 1) * SEGMENT_ENTRIES + d.pairTop;
  d.pairTop += pairs.length;
  return start;
}
