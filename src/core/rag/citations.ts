/** Maps [n] markers in an answer back to the sources they name. */
import type { Source } from './prompt';

export interface Citation {
  n: number;
  path: string;
  startLine: number;
  endLine: number;
  breadcrumb: string[];
  title: string;
  page?: number;
}

// [1], [1, 2], [1][2], [1-3], [1–3]
const MARKER = /\[(\d{1,3}(?:\s*(?:,|-|–)\s*\d{1,3})*)\]/g;

/** Source numbers cited in `answer`, in order of first citation, limited to `max`. */
export function citedNumbers(answer: string, max: number): number[] {
  const seen: number[] = [];
  for (const m of answer.matchAll(MARKER)) {
    for (const part of m[1]!.split(',')) {
      const range = part.split(/-|–/).map((x) => Number.parseInt(x.trim(), 10));
      const [from, to] = range.length === 2 ? [range[0]!, range[1]!] : [range[0]!, range[0]!];
      if (to - from > 20) continue;
      for (let n = from; n <= to; n++) if (n >= 1 && n <= max && !seen.includes(n)) seen.push(n);
    }
  }
  return seen;
}

/** The citations of an answer, resolved to file and lines. */
export function resolveCitations(answer: string, sources: readonly Source[]): Citation[] {
  const byN = new Map(sources.map((s) => [s.n, s]));
  return citedNumbers(answer, sources.length).flatMap((n) => {
    const s = byN.get(n);
    if (!s) return [];
    const { chunk } = s;
    return [
      {
        n,
        path: chunk.path,
        startLine: chunk.startLine,
        endLine: chunk.endLine,
        breadcrumb: chunk.breadcrumb,
        title: chunk.title,
        ...(chunk.page ? { page: chunk.page } : {}),
      },
    ];
  });
}
