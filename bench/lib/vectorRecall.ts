/**
 * The exact baseline for vector search: a plain Float32Array scan with a top-k heap, and recall@k
 * of the index's approximate search against it. Ties count as found: a hit whose exact score
 * equals the k-th exact score is as good as the one the exact scan happened to keep.
 */
import { topK } from '../../src/core/index/topK';

/** Exact top `k` rows of an n x dims matrix by dot product with `query`. */
export function exactTopK(matrix: Float32Array, dims: number, query: Float32Array, k: number): Array<{ docId: number; score: number }> {
  const n = matrix.length / dims;
  const scores = new Float32Array(n);
  const ids = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    const base = r * dims;
    for (let i = 0; i < dims; i++) s += query[i]! * matrix[base + i]!;
    scores[r] = s;
    ids[r] = r;
  }
  return topK(scores, ids, n, k);
}

function dotRow(matrix: Float32Array, dims: number, row: number, query: Float32Array): number {
  let s = 0;
  for (let i = 0; i < dims; i++) s += query[i]! * matrix[row * dims + i]!;
  return s;
}

/**
 * Mean recall@k of `search` (chunk ids, best first) against the exact results (`exact[i]` for
 * `queries[i]`, from exactTopK), over the queries.
 */
export function recallAgainstExact(
  matrix: Float32Array,
  dims: number,
  ordinal: ReadonlyMap<string, number>,
  queries: readonly Float32Array[],
  exactResults: ReadonlyArray<ReadonlyArray<{ score: number }>>,
  search: (query: Float32Array) => string[],
  k = 10,
): number {
  let found = 0;
  let wanted = 0;
  for (let q = 0; q < queries.length; q++) {
    const query = queries[q]!;
    const exact = exactResults[q]!.slice(0, k);
    if (exact.length === 0) continue;
    const floor = exact[exact.length - 1]!.score - 1e-6;
    const hits = search(query).slice(0, k);
    for (const id of hits) {
      const row = ordinal.get(id);
      if (row !== undefined && dotRow(matrix, dims, row, query) >= floor) found++;
    }
    wanted += exact.length;
  }
  return wanted === 0 ? 1 : Math.min(1, found / wanted);
}
