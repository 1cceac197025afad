/**
 * The one store of vector values: each row holds a vector as float16 (2 bytes a dimension, see
 * float16.ts) plus its SimHash code (1 bit a dimension, see simHash.ts) for the Hamming pre-scan.
 * The embedding cache
 * (content hash -> row) and the index (chunk -> row) share rows by reference count, so a text that
 * is cached and indexed, or indexed twice, is held once. Rows live in fixed blocks: growing never
 * copies the matrix and never leaves a doubled capacity behind.
 */
import { decodeHalf, encodeHalf, halfTable } from './float16';
import { SimHasher } from './simHash';

/** Rows per block: 1024 rows of 1024 dimensions = 2 MB of float16. */
export const BLOCK_SHIFT = 10;
const BLOCK_ROWS = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK_ROWS - 1;

/** Bits set in a 32-bit word. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export class VectorRows {
  readonly dimensions: number;
  /** 32-bit words of code per row. */
  readonly words: number;
  private readonly hasher: SimHasher;
  private halves: Uint16Array[] = [];
  private bitBlocks: Uint32Array[] = [];
  private refs = new Int32Array(0);
  private free: number[] = [];
  private top = 0;
  private live = 0;

  constructor(dimensions: number) {
    if (!Number.isInteger(dimensions) || dimensions <= 0 || dimensions % 32 !== 0) {
      throw new RangeError(`vector dimensions must be a positive multiple of 32, got ${dimensions}`);
    }
    this.dimensions = dimensions;
    this.hasher = new SimHasher(dimensions);
    this.words = this.hasher.words;
  }

  /** Rows holding a vector. */
  get size(): number {
    return this.live;
  }

  /** Bytes of the blocks and reference counts. */
  get byteLength(): number {
    return this.halves.length * BLOCK_ROWS * (this.dimensions * 2 + this.words * 4) + this.refs.byteLength;
  }

  /** Stores a vector in a new row and returns it, with one reference held by the caller. */
  alloc(vector: ArrayLike<number>): number {
    if (vector.length !== this.dimensions) throw new RangeError(`vector has ${vector.length} dimensions, the index ${this.dimensions}`);
    const row = this.take();
    const off = (row & BLOCK_MASK) * this.dimensions;
    encodeHalf(vector, this.halves[row >>> BLOCK_SHIFT]!, off);
    this.hasher.code(vector, this.bitBlocks[row >>> BLOCK_SHIFT]!, (row & BLOCK_MASK) * this.words);
    return row;
  }

  /**
   * Stores a vector given as float16 bits (`dimensions` values of `src` from `offset`) with its
   * saved code (`words` values of `codes` from `codeOffset`); without one the code is computed.
   */
  allocHalf(src: Uint16Array, offset: number, codes?: Uint32Array, codeOffset = 0): number {
    const row = this.take();
    const off = (row & BLOCK_MASK) * this.dimensions;
    const block = this.halves[row >>> BLOCK_SHIFT]!;
    block.set(src.subarray(offset, offset + this.dimensions), off);
    const bits = this.bitBlocks[row >>> BLOCK_SHIFT]!;
    const base = (row & BLOCK_MASK) * this.words;
    if (codes) bits.set(codes.subarray(codeOffset, codeOffset + this.words), base);
    else this.hasher.code(decodeHalf(block, off, this.dimensions), bits, base);
    return row;
  }

  /** The code of a query vector, to pass to `hamming`. */
  queryCode(query: ArrayLike<number>): Uint32Array {
    return this.hasher.code(query);
  }

  /** Copies a row's code into `dst` from word `offset` (saved with the vectors). */
  copyCode(row: number, dst: Uint32Array, offset: number): void {
    const base = (row & BLOCK_MASK) * this.words;
    dst.set(this.bitBlocks[row >>> BLOCK_SHIFT]!.subarray(base, base + this.words), offset);
  }

  /** Adds a reference to a row. */
  ref(row: number): void {
    if (this.refs[row]! <= 0) throw new RangeError(`vector row ${row} is not in use`);
    this.refs[row]!++;
  }

  /** Drops a reference; the row is freed with its last one. */
  release(row: number): void {
    if (this.refs[row]! <= 0) throw new RangeError(`vector row ${row} is not in use`);
    if (--this.refs[row]! === 0) {
      this.free.push(row);
      this.live--;
    }
  }

  /** References held on a row (0 = free). */
  refCount(row: number): number {
    return row < this.top ? this.refs[row]! : 0;
  }

  /** The vector of a row, decoded to float32. */
  decode(row: number): Float32Array {
    return decodeHalf(this.halves[row >>> BLOCK_SHIFT]!, (row & BLOCK_MASK) * this.dimensions, this.dimensions);
  }

  /** Copies a row's float16 bits into `dst` from `offset`. */
  copyHalf(row: number, dst: Uint16Array, offset: number): void {
    const off = (row & BLOCK_MASK) * this.dimensions;
    dst.set(this.halves[row >>> BLOCK_SHIFT]!.subarray(off, off + this.dimensions), offset);
  }

  /** Dot product of a float32 query with a row (cosine for unit vectors). */
  dot(query: Float32Array, row: number): number {
    const t = halfTable();
    const block = this.halves[row >>> BLOCK_SHIFT]!;
    const base = (row & BLOCK_MASK) * this.dimensions;
    let s = 0;
    for (let i = 0; i < this.dimensions; i++) s += query[i]! * t[block[base + i]!]!;
    return s;
  }

  /** Hamming distance between a query code and a row's. */
  hamming(queryBits: Uint32Array, row: number): number {
    const bits = this.bitBlocks[row >>> BLOCK_SHIFT]!;
    const base = (row & BLOCK_MASK) * this.words;
    let dist = 0;
    for (let w = 0; w < this.words; w++) dist += popcount(bits[base + w]! ^ queryBits[w]!);
    return dist;
  }

  private take(): number {
    let row = this.free.pop();
    if (row === undefined) {
      row = this.top++;
      if (row >>> BLOCK_SHIFT >= this.halves.length) {
        this.halves.push(new Uint16Array(BLOCK_ROWS * this.dimensions));
        this.bitBlocks.push(new Uint32Array(BLOCK_ROWS * this.words));
      }
      if (row >= this.refs.length) {
        const refs = new Int32Array(Math.max(BLOCK_ROWS, this.refs.length * 2));
        refs.set(this.refs);
        this.refs = refs;
      }
    }
    this.refs[row] = 1;
    this.live++;
    return row;
  }
}
