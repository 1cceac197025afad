import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeHalf, toHalf } from '../../src/core/index/float16';
import type { IndexSnapshot } from '../../src/core/index/snapshot';
import { SNAPSHOT_VERSION } from '../../src/core/index/snapshot';
import { TimeSlicer } from '../../src/core/index/slices';
import { TextEngine } from '../../src/core/index/textEngine';
import { exportTextIndex } from '../../src/core/index/textIndexState';
import type { Logger } from '../../src/core/ports';
import { FileSnapshotStore } from '../../src/node/fileSnapshotStore';

const DIMS = 32;

async function snapshot(n: number, textLength = 20): Promise<IndexSnapshot> {
  const chunks = Array.from({ length: n }, (_, i) => ({
    id: `a.md#${i}`,
    path: 'a.md',
    fileType: 'markdown' as const,
    title: 'A',
    breadcrumb: ['A', `S${i}`],
    startLine: i + 1,
    endLine: i + 1,
    text: `line ${i} "quoted" é\nnext ${'x'.repeat(textLength)}`,
  }));
  const engine = new TextEngine();
  chunks.forEach((c, i) => engine.add(i, { body: c.text, title: c.title, headings: c.breadcrumb.join(' \n '), path: c.path }));
  const textIndex = await exportTextIndex(
    engine,
    Int32Array.from(chunks, (_, i) => i),
    new TimeSlicer(),
  );
  const rows = Math.min(n, 3);
  return {
    version: SNAPSHOT_VERSION,
    chunkingFingerprint: 'fp',
    savedAt: 1,
    files: [{ path: 'a.md', size: 10, mtimeMs: 5, hash: 'h' }],
    chunks,
    embeddings: {
      modelKey: 'm:32',
      dimensions: DIMS,
      hashes: Array.from({ length: rows }, (_, i) => `h${i}`),
      vectors: [Uint16Array.from({ length: rows * DIMS }, (_, i) => toHalf((i % 7) / 7))],
      codes: [Uint32Array.from({ length: rows }, (_, i) => i * 3)],
      codeVersion: 1,
    },
    chunkVectors: Int32Array.from(chunks, (_, i) => (i < rows ? i : -1)),
    embeddingTextKey: 'none',
    textIndex,
  };
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

describe('FileSnapshotStore', () => {
  let dir: string;
  let warnings: string[];
  const logger: Logger = { trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snap-'));
    warnings = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips chunks, embeddings with their codes, chunk rows and the text index exactly', async () => {
    const store = new FileSnapshotStore(dir);
    const s = await snapshot(50);
    await store.save(s);
    const loaded = (await store.load())!;
    assert.deepEqual(loaded.chunks, s.chunks);
    assert.deepEqual(loaded.files, s.files);
    assert.deepEqual(loaded.embeddings, s.embeddings);
    assert.deepEqual(loaded.chunkVectors, s.chunkVectors);
    assert.equal(loaded.embeddingTextKey, 'none');
    assert.deepEqual(loaded.textIndex, s.textIndex);
  });

  it('parses chunk records that straddle the 4 MB read pieces', async () => {
    const store = new FileSnapshotStore(dir);
    const s = await snapshot(1500, 3000);
    await store.save(s);
    const loaded = (await store.load())!;
    assert.equal(loaded.chunks.length, 1500);
    assert.deepEqual(loaded.chunks[1499], s.chunks[1499]);
  });

  it('returns undefined when there is no snapshot', async () => {
    assert.equal(await new FileSnapshotStore(join(dir, 'none')).load(), undefined);
  });

  it('keeps one generation and replaces the manifest atomically', async () => {
    const store = new FileSnapshotStore(dir);
    await store.save(await snapshot(3));
    await store.save(await snapshot(4));
    const names = (await readdir(dir)).sort();
    assert.equal(names.filter((n) => n.startsWith('chunks-')).length, 1);
    assert.equal(names.filter((n) => n.startsWith('text-')).length, 3);
    assert.ok(!names.some((n) => n.endsWith('.tmp')));
    assert.equal((await store.load())!.chunks.length, 4);
  });

  it('detects a truncated, tampered or garbled snapshot as INDEX_CORRUPT', async () => {
    const store = new FileSnapshotStore(dir);
    const isCorrupt = (e: { code?: string }) => e.code === 'INDEX_CORRUPT';
    await store.save(await snapshot(5));
    const chunksFile = (await readdir(dir)).find((n) => n.startsWith('chunks-'))!;
    await truncate(join(dir, chunksFile), 10);
    await assert.rejects(store.load(), (e: { code?: string; message: string }) => isCorrupt(e) && /bytes/.test(e.message));
    await store.save(await snapshot(5));
    const vecFile = (await readdir(dir)).find((n) => n.endsWith('.f16'))!;
    const bytes = await readFile(join(dir, vecFile));
    bytes[0] = bytes[0]! ^ 0xff;
    await writeFile(join(dir, vecFile), bytes);
    await assert.rejects(store.load(), isCorrupt);
    await writeFile(join(dir, 'manifest.json'), '{ not json');
    await assert.rejects(store.load(), isCorrupt);
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({ format: 'bedrock-docs-index', version: 2, files: [], chunks: { name: '../escape.jsonl', bytes: 1, sha256: 'x' } }),
    );
    await assert.rejects(store.load(), isCorrupt, 'a data file name outside the folder is refused');
  });

  it('rebuilds the text index and vector links from the chunks when only the index data is damaged', async () => {
    const store = new FileSnapshotStore(dir, logger);
    await store.save(await snapshot(5));
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { index: { name: string; bytes: number; sha256: string } };
    const garbage = Buffer.alloc(manifest.index.bytes, 7);
    await writeFile(join(dir, manifest.index.name), garbage);
    await writeFile(manifestPath, JSON.stringify({ ...manifest, index: { ...manifest.index, sha256: sha256(garbage) } }));
    const loaded = (await store.load())!;
    assert.equal(loaded.chunks.length, 5);
    assert.equal(loaded.textIndex, undefined);
    assert.equal(loaded.chunkVectors, undefined);
    assert.ok(warnings.some((w) => /index data unusable, rebuilding it from the chunks/.test(w)));
  });

  it('reads the float32 embeddings of a version 1 snapshot (and nothing else of it)', async () => {
    const floats = Float32Array.from({ length: 2 * DIMS }, (_, i) => (i % 5) / 10);
    const f32 = Buffer.from(floats.buffer);
    const keys = Buffer.from('k0\nk1');
    const chunks = Buffer.from('{"not":"read"}');
    await writeFile(join(dir, 'embeddings-old.f32'), f32);
    await writeFile(join(dir, 'embeddings-old.keys'), keys);
    await writeFile(join(dir, 'chunks-old.jsonl'), chunks);
    const file = (name: string, data: Buffer) => ({ name, bytes: data.byteLength, sha256: sha256(data) });
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({
        format: 'bedrock-docs-index',
        version: 1,
        generation: 'old',
        chunkingFingerprint: 'fp',
        savedAt: 1,
        files: [],
        chunkCount: 1,
        chunks: file('chunks-old.jsonl', chunks),
        embeddings: {
          modelKey: 'm:32',
          dimensions: DIMS,
          count: 2,
          vectors: file('embeddings-old.f32', f32),
          keys: file('embeddings-old.keys', keys),
        },
      }),
    );
    const loaded = (await new FileSnapshotStore(dir).load())!;
    assert.equal(loaded.version, 1);
    assert.deepEqual(loaded.chunks, []);
    assert.deepEqual(loaded.embeddings!.hashes, ['k0', 'k1']);
    const back = decodeHalf(loaded.embeddings!.vectors[0]!, 0, 2 * DIMS);
    for (let i = 0; i < floats.length; i++) assert.ok(Math.abs(back[i]! - floats[i]!) < 1e-3);
  });

  it('survives a crash between data files and manifest: the old snapshot stays whole', async () => {
    const store = new FileSnapshotStore(dir);
    await store.save(await snapshot(2));
    // A crashed writer leaves a new generation's data files and a temp manifest, never a half manifest.
    await writeFile(join(dir, 'chunks-zzz.jsonl.tmp'), 'partial');
    await writeFile(join(dir, 'text-zzz.docs'), 'partial');
    await writeFile(join(dir, 'manifest.json.zzz.tmp'), '{"partial":');
    assert.equal((await store.load())!.chunks.length, 2);
    await store.save(await snapshot(3));
    assert.ok(!(await readdir(dir)).some((n) => n.includes('zzz')), 'leftovers of the crashed write are cleaned up');
  });
});
