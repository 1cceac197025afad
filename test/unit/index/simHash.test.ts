import assert from 'node:assert/strict';
import { SimHasher } from '../../../src/core/index/simHash';
import { popcount } from '../../../src/core/index/vectorRows';
import { VectorStore } from '../../../src/core/index/vectorStore';

function hamming(a: Uint32Array, b: Uint32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += popcount(a[i]! ^ b[i]!);
  return d;
}

/** Sparse count vectors like the fake's feature hashing: a few dozen of 1024 dimensions set. */
function sparseDocs(n: number, dims: number): Float32Array[] {
  let s = 12345;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const topics = Array.from({ length: 20 }, () => Array.from({ length: 40 }, () => Math.floor(rnd() * dims)));
  return Array.from({ length: n }, (_, i) => {
    const v = new Float32Array(dims);
    const topic = topics[i % topics.length]!;
    for (let w = 0; w < 60; w++) {
      const bucket = rnd() < 0.6 ? topic[Math.floor(rnd() * topic.length)]! : Math.floor(rnd() * dims);
      v[bucket]! += rnd() < 0.5 ? 1 : -1;
    }
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  });
}

describe('SimHasher', () => {
  it('codes are deterministic and their Hamming distance follows the angle', () => {
    const h = new SimHasher(256);
    const v = Float32Array.from({ length: 256 }, (_, i) => Math.cos(i * 0.37));
    const minus = v.map((x) => -x);
    assert.deepEqual(h.code(v), new SimHasher(256).code(v));
    assert.equal(hamming(h.code(v), h.code(v)), 0);
    assert.ok(hamming(h.code(v), h.code(minus)) > 250, 'opposite vectors differ in (almost) every bit');
    const other = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i * 1.91 + 0.5));
    const d = hamming(h.code(v), h.code(other));
    assert.ok(d > 60 && d < 200, `unrelated vectors differ in about half the bits, got ${d}`);
  });

  it('lets the pre-scan find the exact neighbours of sparse vectors (where raw sign bits fail)', () => {
    const dims = 1024;
    const docs = sparseDocs(3000, dims);
    const store = new VectorStore(dims);
    docs.forEach((v, i) => store.set(i, v));
    let found = 0;
    for (let q = 0; q < 20; q++) {
      const query = docs[q * 97]!;
      const exact = store.exactSearch(query, 10);
      const floor = exact[exact.length - 1]!.score - 1e-6;
      found += store.search(query, 10, { rescore: 100 }).filter((h) => h.score >= floor).length;
    }
    assert.ok(found / 200 >= 0.95, `recall@10 vs exact ${found / 200}`);
  });
});
