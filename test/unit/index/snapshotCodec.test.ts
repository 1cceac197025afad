import assert from 'node:assert/strict';
import { decodeIndexParts, encodeIndexParts } from '../../../src/core/index/snapshotCodec';

function joined(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

describe('snapshot codec', () => {
  const parts = {
    chunkVectors: Int32Array.from([0, -1, 2]),
    textIndex: {
      version: 1,
      docCount: 3,
      terms: ['proxi', 'port', 'café'],
      termOffsets: Uint32Array.from([0, 2, 3, 5]),
      fieldLengths: Uint16Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
      pairOffsets: Uint32Array.from([0, 1, 1, 3]),
    },
  };

  it('round-trips the parts (typed-array views need the sections aligned)', () => {
    const back = decodeIndexParts(joined(encodeIndexParts(parts)));
    assert.deepEqual(back.chunkVectors, parts.chunkVectors);
    assert.deepEqual(back.textIndex, parts.textIndex);
    assert.deepEqual(decodeIndexParts(joined(encodeIndexParts({}))), {});
  });

  it('reports damaged bytes as INDEX_CORRUPT', () => {
    const bytes = joined(encodeIndexParts(parts));
    const isCorrupt = (e: { code?: string }) => e.code === 'INDEX_CORRUPT';
    assert.throws(() => decodeIndexParts(new Uint8Array(4)), isCorrupt);
    const badMagic = bytes.slice();
    badMagic[0] = badMagic[0]! ^ 0xff;
    assert.throws(() => decodeIndexParts(badMagic), isCorrupt);
    const badVersion = bytes.slice();
    badVersion[4] = 9;
    assert.throws(() => decodeIndexParts(badVersion), isCorrupt);
    assert.throws(() => decodeIndexParts(bytes.slice(0, bytes.byteLength - 16)), isCorrupt, 'a truncated section is out of bounds');
  });
});
