import assert from 'node:assert/strict';
import { copySegmented, isWellSegmented, SEGMENT_ENTRIES, segmentedLength, SegmentWriter } from '../../../src/core/index/segments';

describe('segmented arrays', () => {
  it('writes full segments and a short last one, and copies ranges across a boundary', () => {
    const writer = new SegmentWriter();
    const total = SEGMENT_ENTRIES + 1000;
    for (let i = 0; i < 500; i++) writer.push(i);
    writer.pushRange(
      Uint32Array.from({ length: total - 500 }, (_, i) => i + 500),
      0,
      total - 500,
    );
    const segments = writer.finish();
    assert.equal(segments.length, 2);
    assert.ok(isWellSegmented(segments));
    assert.equal(segmentedLength(segments), total);
    const from = SEGMENT_ENTRIES - 3;
    const u32 = new Uint32Array(6);
    copySegmented(segments, from, from + 6, u32);
    assert.deepEqual(
      [...u32],
      [0, 1, 2, 3, 4, 5].map((i) => from + i),
    );
    const i32 = new Int32Array(8);
    copySegmented(segments, from, from + 6, i32, 2);
    assert.deepEqual([...i32], [0, 0, ...[0, 1, 2, 3, 4, 5].map((i) => from + i)]);
  });

  it('tells a malformed segmentation apart', () => {
    assert.ok(isWellSegmented([new Uint32Array(3)]));
    assert.ok(!isWellSegmented([new Uint32Array(3), new Uint32Array(3)]), 'only the last segment may be short');
    assert.ok(isWellSegmented(new SegmentWriter().finish()), 'an empty array is one empty segment');
  });
});
