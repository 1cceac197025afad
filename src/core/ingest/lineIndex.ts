/** Offsets of line starts in a text whose line breaks are all '\n', for line <-> offset lookups. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    let at = text.indexOf('\n');
    while (at !== -1) {
      starts.push(at + 1);
      at = text.indexOf('\n', at + 1);
    }
    this.starts = starts;
  }

  /** Number of lines ('a\n' has two: the second is empty). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of the first character of 0-based line `line`. */
  lineStart(line: number): number {
    return this.starts[line] ?? this.text.length;
  }

  /** Offset just past the last character of 0-based line `line` (the '\n' is not included). */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    return next === undefined ? this.text.length : next - 1;
  }

  /** Text of 0-based line `line`, without its '\n'. */
  line(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** 0-based line holding the character at `offset` (binary search). */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** True when the 0-based line has only whitespace. */
  isBlank(line: number): boolean {
    return /^\s*$/.test(this.line(line));
  }
}
