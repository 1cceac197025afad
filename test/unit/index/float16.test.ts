import assert from 'node:assert/strict';
import { decodeHalf, encodeHalf, halfTable, toHalf } from '../../../src/core/index/float16';

describe('float16', () => {
  it('encodes exact values, limits and specials to their IEEE half bits', () => {
    assert.equal(toHalf(0), 0x0000);
    assert.equal(toHalf(-0), 0x8000);
    assert.equal(toHalf(1), 0x3c00);
    assert.equal(toHalf(-2), 0xc000);
    assert.equal(toHalf(0.5), 0x3800);
    assert.equal(toHalf(65504), 0x7bff, 'largest finite half');
    assert.equal(toHalf(1e6), 0x7c00, 'overflow is infinity');
    assert.equal(toHalf(2 ** -24), 0x0001, 'smallest subnormal');
    assert.equal(toHalf(2 ** -14), 0x0400, 'smallest normal');
    assert.equal(toHalf(2 ** -26), 0x0000, 'underflow is zero');
    assert.ok((toHalf(NaN) & 0x7c00) === 0x7c00 && (toHalf(NaN) & 0x3ff) !== 0);
  });

  it('rounds to nearest, ties to even', () => {
    assert.equal(toHalf(1 + 2 ** -11), 0x3c00, 'a tie rounds down to the even mantissa');
    assert.equal(toHalf(1 + 3 * 2 ** -11), 0x3c02, 'a tie rounds up to the even mantissa');
    assert.equal(toHalf(1 + 2 ** -11 + 2 ** -20), 0x3c01, 'above the tie rounds up');
  });

  it('round-trips unit-vector components within half precision', () => {
    const values = Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i * 12.9898) * 0.2);
    const half = new Uint16Array(values.length);
    encodeHalf(values, half);
    const back = decodeHalf(half, 0, values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      assert.ok(Math.abs(back[i]! - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25, `${v} -> ${back[i]}`);
    }
    assert.equal(halfTable()[0x3c00], 1);
  });
});
