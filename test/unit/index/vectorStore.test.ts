import assert from 'node:assert/strict';
import { VectorStore } from '../../../src/core/index/vectorStore';

/** Deterministic pseudo-random normalised vectors around a few centres (clustered, like text). */
function clustered(n: number, dims: number, seed = 7): Float32Array[] {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const centres = Array.from({ length: 8 }, () => Float32Array.from({ length: dims }, rnd));
  return Array.from({ length: n }, (_, i) => {
    const c = centres[i % centres.length]!;
    const v = Float32Array.from(c, (x) => x + 0.8 * rnd());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

describe('VectorStore', () => {
  it('finds the exact nearest neighbours with sign-bit pre-scan and float re-scoring', () => {
    const dims = 64;
    const vs = clustered(600, dims);
    const store = new VectorStore(dims);
    vs.forEach((v, i) => store.set(i + 1, v));
    assert.equal(store.size, 600);
    let agree = 0;
    for (let q = 0; q < 20; q++) {
      const query = vs[q * 7]!;
      const exact = store.exactSearch(query, 10).map((h) => h.docId);
      const fast = store.search(query, 10, { rescore: 150 }).map((h) => h.docId);
      agree += fast.filter((d) => exact.includes(d)).length;
      assert.equal(exact[0], q * 7 + 1, 'a stored vector is its own nearest neighbour');
    }
    assert.ok(agree / 200 >= 0.95, `recall@10 vs exact ${agree / 200}`);
  });

  it('respects the allowed set, deletes and replaces', () => {
    const store = new VectorStore(32);
    const a = new Float32Array(32).fill(0); a[0] = 1;
    const b = new Float32Array(32).fill(0); b[1] = 1;
    store.set(1, a);
    store.set(2, b);
    assert.deepEqual(store.search(a, 2, { allowed: new Set([2]) }).map((h) => h.docId), [2]);
    store.delete(1);
    assert.deepEqual(store.search(a, 2).map((h) => h.docId), [2]);
    store.set(2, a);
    assert.equal(store.search(a, 1)[0]!.score, 1);
    assert.equal(store.size, 1);
  });

  it('rejects vectors of the wrong size', () => {
    const store = new VectorStore(32);
    assert.throws(() => store.set(1, new Float32Array(16)), /16 dimensions/);
    assert.throws(() => new VectorStore(33), /multiple of 32/);
  });
});
