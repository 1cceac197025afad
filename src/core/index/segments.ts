/**
 * Large u32 arrays as segments of SEGMENT_ENTRIES (4 MB) each, the last one shorter: a snapshot of
 * 100k chunks holds arrays of 30-200 MB, and allocating one of those at once made V8 stop the event
 * loop for a full collection (100-200 ms measured during restore). Segments are allocated, written
 * and read one at a time.
 */

/** Entries per segment (4 MB of u32). */
export const SEGMENT_ENTRIES = 1 << 20;

/** Total entries of a segmented array. */
export function segmentedLength(segments: readonly Uint32Array[]): number {
  let n = 0;
  for (const s of segments) n += s.length;
  return n;
}

/** True when every segment but the last holds exactly SEGMENT_ENTRIES entries. */
export function isWellSegmented(segments: readonly Uint32Array[]): boolean {
  return segments.every((s, i) => (i === segments.length - 1 ? s.length <= SEGMENT_ENTRIES : s.length === SEGMENT_ENTRIES));
}

/** Copies entries [from, to) of a segmented array into `dst` from `offset`. */
export function copySegmented(segments: readonly Uint32Array[], from: number, to: number, dst: Uint32Array | Int32Array, offset = 0): void {
  let at = from;
  while (at < to) {
    const s = Math.floor(at / SEGMENT_ENTRIES);
    const local = at - s * SEGMENT_ENTRIES;
    const take = Math.min(to - at, SEGMENT_ENTRIES - local);
    const segment = segments[s]!;
    if (dst instanceof Uint32Array) dst.set(segment.subarray(local, local + take), offset + at - from);
    else for (let i = 0; i < take; i++) dst[offset + at - from + i] = segment[local + i]!;
    at += take;
  }
}

/** Appends u32 values into segments. */
export class SegmentWriter {
  private readonly done: Uint32Array[] = [];
  private current = new Uint32Array(1024);
  private used = 0;
  private total = 0;

  /** Entries written so far. */
  get length(): number {
    return this.total;
  }

  push(value: number): void {
    if (this.used === this.current.length) this.roll();
    this.current[this.used++] = value;
    this.total++;
  }

  /** Appends `src[from..to)`. */
  pushRange(src: Uint32Array | Int32Array, from: number, to: number): void {
    for (let i = from; i < to;) {
      if (this.used === this.current.length) this.roll();
      const take = Math.min(to - i, this.current.length - this.used);
      if (src instanceof Uint32Array) this.current.set(src.subarray(i, i + take), this.used);
      else for (let j = 0; j < take; j++) this.current[this.used + j] = src[i + j]!;
      this.used += take;
      this.total += take;
      i += take;
    }
  }

  /** The segments (the writer must not be used afterwards). */
  finish(): Uint32Array[] {
    if (this.used > 0 || this.done.length === 0) this.done.push(this.current.slice(0, this.used));
    return this.done;
  }

  // The current segment grows by doubling up to SEGMENT_ENTRIES, then a new one starts.
  private roll(): void {
    if (this.current.length < SEGMENT_ENTRIES) {
      const next = new Uint32Array(Math.min(SEGMENT_ENTRIES, this.current.length * 2));
      next.set(this.current);
      this.current = next;
      return;
    }
    this.done.push(this.current);
    this.current = new Uint32Array(1024);
    this.used = 0;
  }
}
