import assert from 'node:assert/strict';
import { toHalf } from '../../../src/core/index/float16';
import { SimHasher } from '../../../src/core/index/simHash';
import { VectorRows } from '../../../src/core/index/vectorRows';

function unit(dims: number, seed: number): Float32Array {
  const v = Float32Array.from({ length: dims }, (_, i) => Math.sin((i + 1) * seed));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

describe('VectorRows', () => {
  it('stores float16 rows, scores them and frees a row with its last reference', () => {
    const rows = new VectorRows(64);
    const a = unit(64, 1.3);
    const row = rows.alloc(a);
    assert.ok(Math.abs(rows.dot(a, row) - 1) < 1e-3);
    const decoded = rows.decode(row);
    for (let i = 0; i < 64; i++) assert.ok(Math.abs(decoded[i]! - a[i]!) < 1e-3);
    rows.ref(row);
    rows.release(row);
    assert.equal(rows.size, 1, 'still referenced once');
    rows.release(row);
    assert.equal(rows.size, 0);
    assert.throws(() => rows.release(row), /not in use/);
    assert.equal(rows.alloc(unit(64, 2.1)), row, 'a freed row is reused');
  });

  it('takes saved codes as they are and computes missing ones identically', () => {
    const rows = new VectorRows(64);
    const v = unit(64, 0.7);
    const half = Uint16Array.from(v, (x) => toHalf(x));
    const fresh = rows.allocHalf(half, 0);
    const code = new Uint32Array(rows.words);
    rows.copyCode(fresh, code, 0);
    const copy = rows.allocHalf(half, 0, code, 0);
    const q = rows.queryCode(v);
    assert.equal(rows.hamming(q, fresh), rows.hamming(q, copy));
    assert.deepEqual(code, new SimHasher(64).code(rows.decode(fresh)));
  });

  it('spreads rows over blocks without copying earlier ones', () => {
    const rows = new VectorRows(32);
    const first = unit(32, 0.3);
    const r0 = rows.alloc(first);
    for (let i = 0; i < 2100; i++) rows.alloc(unit(32, i + 1));
    assert.equal(rows.size, 2101);
    assert.ok(Math.abs(rows.dot(first, r0) - 1) < 1e-3, 'the first row survives growth');
  });
});
