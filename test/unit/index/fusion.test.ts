import assert from 'node:assert/strict';
import { reciprocalRankFusion } from '../../../src/core/index/fusion';

describe('reciprocalRankFusion', () => {
  it('matches a hand-computed RRF with k = 60', () => {
    const text = ['a', 'b', 'c'];
    const vector = ['c', 'a', 'd'];
    const fused = reciprocalRankFusion(
      [
        { items: text, weight: 1 },
        { items: vector, weight: 1 },
      ],
      (x) => x,
    );
    // a: 1/61 + 1/62 = 0.032522; c: 1/63 + 1/61 = 0.032266; b: 1/62 = 0.016129; d: 1/63 = 0.015873
    assert.deepEqual(
      fused.map((f) => f.item),
      ['a', 'c', 'b', 'd'],
    );
    assert.ok(Math.abs(fused[0]!.score - (1 / 61 + 1 / 62)) < 1e-12);
    assert.deepEqual(fused[1]!.ranks, [3, 1]);
    assert.deepEqual(fused[3]!.ranks, [undefined, 3]);
  });

  it('applies list weights', () => {
    const fused = reciprocalRankFusion(
      [
        { items: ['a'], weight: 1 },
        { items: ['b'], weight: 2 },
      ],
      (x) => x,
    );
    assert.deepEqual(
      fused.map((f) => f.item),
      ['b', 'a'],
    );
  });
});
