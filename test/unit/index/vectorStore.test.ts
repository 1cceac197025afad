import assert from 'node:assert/strict';
import { VectorRows } from '../../../src/core/index/vectorRows';
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
  it('finds the exact nearest neighbours with the SimHash pre-scan and re-scoring', () => {
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
    const a = new Float32Array(32).fill(0);
    a[0] = 1;
    const b = new Float32Array(32).fill(0);
    b[1] = 1;
    store.set(1, a);
    store.set(2, b);
    assert.deepEqual(
      store.search(a, 2, { allowed: new Set([2]) }).map((h) => h.docId),
      [2],
    );
    store.delete(1);
    assert.deepEqual(
      store.search(a, 2).map((h) => h.docId),
      [2],
    );
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

describe('VectorStore with shared rows', () => {
  it('prunes by the allowed set before scoring, selective or not', () => {
    const dims = 64;
    const vs = clustered(400, dims, 3);
    const store = new VectorStore(dims);
    vs.forEach((v, i) => store.set(i, v));
    const few = new Set([5, 17, 250]);
    assert.deepEqual(
      store
        .search(vs[17]!, 10, { allowed: few })
        .map((h) => h.docId)
        .sort((a, b) => a - b),
      [5, 17, 250],
    );
    const most = new Set(Array.from({ length: 390 }, (_, i) => i));
    const hits = store.search(vs[395]!, 10, { allowed: most });
    assert.ok(hits.length === 10 && hits.every((h) => most.has(h.docId)));
  });

  it('shares one row between docs and frees it with the last one', () => {
    const rows = new VectorRows(32);
    const store = new VectorStore(rows);
    const v = new Float32Array(32).fill(0);
    v[3] = 1;
    const row = rows.alloc(v);
    store.link(1, row);
    store.link(2, row);
    rows.release(row);
    assert.equal(rows.size, 1);
    assert.deepEqual(
      store.search(v, 5).map((h) => h.docId),
      [1, 2],
    );
    store.delete(1);
    store.set(2, v);
    assert.equal(rows.refCount(row), 0, 'replaced and deleted: the shared row is free');
    assert.equal(store.size, 1);
  });
});
