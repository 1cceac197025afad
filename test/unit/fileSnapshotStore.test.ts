import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IndexSnapshot } from '../../src/core/index/snapshot';
import { SNAPSHOT_VERSION } from '../../src/core/index/snapshot';
import { FileSnapshotStore } from '../../src/node/fileSnapshotStore';
import { toHalf } from '../../src/core/index/float16';

function snapshot(n: number): IndexSnapshot {
  const dims = 32;
  const vectors = new Uint16Array(n * dims).map((_, i) => toHalf((i % 7) / 7));
  return {
    version: SNAPSHOT_VERSION,
    chunkingFingerprint: 'fp',
    savedAt: 1,
    files: [{ path: 'a.md', size: 10, mtimeMs: 5, hash: 'h' }],
    chunks: Array.from({ length: n }, (_, i) => ({ id: `a.md#${i}`, path: 'a.md', fileType: 'markdown' as const, title: 'A', breadcrumb: ['A', `S${i}`], startLine: i + 1, endLine: i + 1, text: `line ${i} "quoted"\nnext` })),
    embeddings: { modelKey: 'm:32', dimensions: dims, hashes: Array.from({ length: n }, (_, i) => `h${i}`), vectors },
  };
}

describe('FileSnapshotStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snap-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips chunks and embeddings exactly', async () => {
    const store = new FileSnapshotStore(dir);
    const s = snapshot(50);
    await store.save(s);
    const loaded = await store.load();
    assert.deepEqual(loaded!.chunks, s.chunks);
    assert.deepEqual(loaded!.files, s.files);
    assert.deepEqual(loaded!.embeddings!.hashes, s.embeddings!.hashes);
    assert.deepEqual(Array.from(loaded!.embeddings!.vectors), Array.from(s.embeddings!.vectors));
  });

  it('returns undefined when there is no snapshot', async () => {
    assert.equal(await new FileSnapshotStore(join(dir, 'none')).load(), undefined);
  });

  it('keeps one generation and replaces the manifest atomically', async () => {
    const store = new FileSnapshotStore(dir);
    await store.save(snapshot(3));
    await store.save(snapshot(4));
    const names = (await readdir(dir)).sort();
    assert.equal(names.filter((n) => n.startsWith('chunks-')).length, 1);
    assert.ok(!names.some((n) => n.endsWith('.tmp')));
    assert.equal((await store.load())!.chunks.length, 4);
  });

  it('detects a truncated, tampered or garbled snapshot as INDEX_CORRUPT', async () => {
    const store = new FileSnapshotStore(dir);
    await store.save(snapshot(5));
    const chunksFile = (await readdir(dir)).find((n) => n.startsWith('chunks-'))!;
    await truncate(join(dir, chunksFile), 10);
    await assert.rejects(store.load(), (e: { code?: string; message: string }) => e.code === 'INDEX_CORRUPT' && /bytes/.test(e.message));
    await store.save(snapshot(5));
    const vecFile = (await readdir(dir)).find((n) => n.endsWith('.f32'))!;
    const bytes = await readFile(join(dir, vecFile));
    bytes[0] = bytes[0]! ^ 0xff;
    await writeFile(join(dir, vecFile), bytes);
    await assert.rejects(store.load(), (e: { code?: string }) => e.code === 'INDEX_CORRUPT');
    await writeFile(join(dir, 'manifest.json'), '{ not json');
    await assert.rejects(store.load(), (e: { code?: string }) => e.code === 'INDEX_CORRUPT');
  });

  it('survives a crash between data files and manifest: the old snapshot stays whole', async () => {
    const store = new FileSnapshotStore(dir);
    await store.save(snapshot(2));
    // A crashed writer leaves a new generation's data files and a temp manifest, never a half manifest.
    await writeFile(join(dir, 'chunks-zzz.jsonl.tmp'), 'partial');
    await writeFile(join(dir, 'manifest.json.zzz.tmp'), '{"partial":');
    assert.equal((await store.load())!.chunks.length, 2);
    await store.save(snapshot(3));
    assert.ok(!(await readdir(dir)).some((n) => n.includes('zzz')), 'leftovers of the crashed write are cleaned up');
  });
});
