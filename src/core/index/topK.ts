/** Selecting the k best of many scored docs without sorting them all: a bounded min-heap. */

/** A doc id with its score; higher is better. */
export interface ScoredDoc {
  docId: number;
  score: number;
}

/** The k best of `scores[ids[0..count)]`, best first (ties: lower doc id first). */
export function topK(scores: Float32Array, ids: Int32Array, count: number, k: number): ScoredDoc[] {
  const heapDocs = new Int32Array(Math.max(0, Math.min(k, count)));
  const heapScores = new Float64Array(heapDocs.length);
  let size = 0;
  const swap = (i: number, j: number): void => {
    const d = heapDocs[i]!;
    heapDocs[i] = heapDocs[j]!;
    heapDocs[j] = d;
    const s = heapScores[i]!;
    heapScores[i] = heapScores[j]!;
    heapScores[j] = s;
  };
  for (let i = 0; i < count; i++) {
    const doc = ids[i]!;
    const score = scores[doc]!;
    if (size < heapDocs.length) {
      heapDocs[size] = doc;
      heapScores[size] = score;
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (heapScores[parent]! <= heapScores[c]!) break;
        swap(c, parent);
        c = parent;
      }
    } else if (size > 0 && score > heapScores[0]!) {
      heapDocs[0] = doc;
      heapScores[0] = score;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < size && heapScores[l]! < heapScores[m]!) m = l;
        if (r < size && heapScores[r]! < heapScores[m]!) m = r;
        if (m === p) break;
        swap(p, m);
        p = m;
      }
    }
  }
  const hits: ScoredDoc[] = [];
  for (let i = 0; i < size; i++) hits.push({ docId: heapDocs[i]!, score: heapScores[i]! });
  hits.sort((a, b) => b.score - a.score || a.docId - b.docId);
  return hits;
}
