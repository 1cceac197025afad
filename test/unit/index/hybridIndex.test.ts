import assert from 'node:assert/strict';
import type { Chunk } from '../../../src/core/chunk';
import { HybridIndex, isChangelogPath } from '../../../src/core/index/hybridIndex';
import { parseQuery } from '../../../src/core/index/searchFilter';
import { TimeSlicer } from '../../../src/core/index/slices';

function chunk(path: string, n: number, text: string, extra: Partial<Chunk> = {}): Chunk {
  return {
    id: `${path}#${n}`,
    path,
    fileType: path.endsWith('.html') ? 'html' : 'markdown',
    title: path,
    breadcrumb: [],
    startLine: n * 10 + 1,
    endLine: n * 10 + 9,
    text,
    ...extra,
  };
}

function unit(dims: number, hot: number): Float32Array {
  const v = new Float32Array(dims);
  v[hot] = 1;
  return v;
}

const docs = [
  chunk('guide/setup.md', 0, 'Configure the proxy: it listens on port 3128.', { breadcrumb: ['Guide', 'Setup', 'Proxy'] }),
  chunk('guide/setup.md', 1, 'Install with npm install and run the server.'),
  chunk('reference/api.html', 0, 'The API returns JSON over HTTPS on port 443.'),
  chunk('CHANGELOG.md', 0, 'Changed the proxy port default to 3128 in 2.0.'),
];

describe('HybridIndex', () => {
  it('answers full-text queries through Orama with our ranking, metadata kept', () => {
    const index = new HybridIndex();
    index.add(docs);
    assert.equal(index.size, 4);
    const hits = index.search({ text: 'which port does the proxy use', mode: 'fulltext', k: 3 });
    assert.equal(hits[0]!.chunk.id, 'guide/setup.md#0');
    assert.deepEqual(hits[0]!.chunk.breadcrumb, ['Guide', 'Setup', 'Proxy']);
    assert.equal(hits[0]!.chunk.startLine, 1);
    assert.equal((hits[0]!.chunk as unknown as { dirs?: unknown }).dirs, undefined, 'internal fields stay inside');
  });

  it('demotes changelogs below the page that documents the fact', () => {
    const index = new HybridIndex();
    index.add(docs);
    const ids = index.search({ text: 'proxy port 3128', mode: 'fulltext', k: 4 }).map((h) => h.chunk.path);
    assert.ok(ids.indexOf('guide/setup.md') < ids.indexOf('CHANGELOG.md'));
    assert.ok(
      isChangelogPath('docs/release-notes.md') && isChangelogPath('CHANGELOG.md') && !isChangelogPath('docs/changes-to-api-design.md'),
    );
    const noDemotion = new HybridIndex({ changelogFactor: 1 });
    noDemotion.add([chunk('CHANGELOG.md', 0, 'proxy port 3128 proxy port'), chunk('a.md', 0, 'proxy port 3128')]);
    assert.equal(noDemotion.search({ text: 'proxy port 3128', mode: 'fulltext', k: 1 })[0]!.chunk.path, 'CHANGELOG.md');
  });

  it('filters by folder, file, glob and type (also from query syntax)', () => {
    const index = new HybridIndex();
    index.add(docs);
    const q = parseQuery('port path:reference/');
    assert.deepEqual(q, { text: 'port', filter: { pathPrefix: 'reference' } });
    assert.deepEqual(
      index.search({ text: q.text, mode: 'fulltext', k: 5, filter: q.filter }).map((h) => h.chunk.path),
      ['reference/api.html'],
    );
    assert.deepEqual(
      index.search({ text: 'port', mode: 'fulltext', k: 5, filter: { fileTypes: ['html'] } }).map((h) => h.chunk.path),
      ['reference/api.html'],
    );
    assert.deepEqual(
      index.search({ text: 'port', mode: 'fulltext', k: 5, filter: { pathPrefix: 'guide/setup.md' } }).map((h) => h.chunk.id),
      ['guide/setup.md#0'],
    );
    assert.deepEqual(
      index.search({ text: 'port', mode: 'fulltext', k: 5, filter: { glob: '**/*.md', pathPrefix: 'guide' } }).map((h) => h.chunk.id),
      ['guide/setup.md#0'],
    );
    assert.deepEqual(index.search({ text: 'port', mode: 'fulltext', k: 5, filter: { glob: 'nothing/**' } }), []);
    assert.deepEqual(parseQuery('type:md,html proxy'), { text: 'proxy', filter: { fileTypes: ['markdown', 'html'] } });
    assert.deepEqual(parseQuery('what is type:unknown?').text, 'what is type:unknown?');
  });

  it('searches vectors, fuses hybrid results by rank and filters vectors too', () => {
    const index = new HybridIndex({ dimensions: 32 });
    index.add(docs);
    docs.forEach((d, i) => index.setVector(d.id, unit(32, i)));
    assert.equal(index.vectorCount, 4);
    const vectorOnly = index.search({ text: 'ignored', mode: 'vector', k: 2, queryVector: unit(32, 2) });
    assert.equal(vectorOnly[0]!.chunk.id, 'reference/api.html#0');
    assert.equal(vectorOnly[0]!.score, 1);
    const filtered = index.search({ text: '', mode: 'vector', k: 4, queryVector: unit(32, 2), filter: { pathPrefix: 'guide' } });
    assert.ok(filtered.every((h) => h.chunk.path.startsWith('guide/')));
    // Text favours setup.md#0, vectors favour setup.md#1: both rank-1 items tie, and fusion keeps both on top.
    const hybrid = index.search({ text: 'proxy listens', mode: 'hybrid', k: 4, queryVector: unit(32, 1) });
    assert.deepEqual(
      hybrid
        .slice(0, 2)
        .map((h) => h.chunk.id)
        .sort(),
      ['guide/setup.md#0', 'guide/setup.md#1'],
    );
    assert.equal(hybrid[0]!.textRank !== undefined || hybrid[0]!.vectorRank !== undefined, true);
    // Without a query vector hybrid falls back to full-text.
    assert.equal(index.search({ text: 'proxy listens', mode: 'hybrid', k: 1 })[0]!.chunk.id, 'guide/setup.md#0');
  });

  it("removes and replaces a file's chunks, vectors included", () => {
    const index = new HybridIndex({ dimensions: 32 });
    index.add(docs);
    index.setVector('guide/setup.md#0', unit(32, 0));
    assert.equal(index.removeFile('guide/setup.md'), 2);
    assert.equal(index.size, 2);
    assert.equal(index.vectorCount, 0);
    assert.deepEqual(
      index.search({ text: 'proxy listens', mode: 'fulltext', k: 5 }).map((h) => h.chunk.path),
      ['CHANGELOG.md'],
    );
    index.add([chunk('guide/setup.md', 0, 'The proxy now listens on port 8080.')]);
    assert.equal(index.getChunk('guide/setup.md#0')!.text, 'The proxy now listens on port 8080.');
    assert.deepEqual(index.filePaths(), ['CHANGELOG.md', 'guide/setup.md', 'reference/api.html']);
    assert.equal(index.hasVector('guide/setup.md#0'), false, 'a re-added chunk needs a new vector');
  });

  it('applies a relative score threshold', () => {
    const index = new HybridIndex();
    index.add(docs);
    const all = index.search({ text: 'proxy port', mode: 'fulltext', k: 5 });
    const strict = index.search({ text: 'proxy port', mode: 'fulltext', k: 5, scoreThreshold: 0.99 });
    assert.ok(all.length > strict.length && strict.length >= 1);
  });
});

describe('HybridIndex snapshots', () => {
  const many = Array.from({ length: 300 }, (_, i) =>
    chunk(
      `${['guide', 'reference', 'faq'][i % 3]}/page${i % 40}.${i % 5 === 0 ? 'html' : 'md'}`,
      Math.floor(i / 40),
      `topic${i % 17} detail${i % 23} proxy port ${i} ${i % 2 ? 'timeout settings' : 'memory limits'}`,
      { breadcrumb: ['Guide', `Section ${i % 9}`] },
    ),
  );
  const queries = ['proxy port 42', 'timeout settings topic3', 'memory limits detail7', 'topic16 detail22'];

  async function restored(text: 'saved' | 'stale'): Promise<{ before: HybridIndex; after: HybridIndex }> {
    const before = new HybridIndex();
    before.add(many);
    before.removeFile('faq/page2.md');
    const state = await before.exportState(new TimeSlicer());
    assert.equal(state.chunks.length, before.size);
    const after = new HybridIndex();
    const savedText = text === 'saved' ? state.text : { ...state.text, version: -1 };
    const result = await after.restore(JSON.parse(JSON.stringify(state.chunks)) as Chunk[], savedText, new TimeSlicer());
    assert.equal(result.textLoaded, text === 'saved');
    return { before, after };
  }

  for (const text of ['saved', 'stale'] as const) {
    it(`restores chunks, filters and ranking (${text} text index)`, async () => {
      const { before, after } = await restored(text);
      assert.equal(after.size, before.size);
      assert.deepEqual(after.filePaths(), before.filePaths());
      // Every hit with its score (ties are ordered by internal id, which a restore renumbers).
      const all = (index: HybridIndex, q: string) =>
        index
          .search({ text: q, mode: 'fulltext', k: 400 })
          .map((h) => `${h.chunk.id} ${h.score.toFixed(9)}`)
          .sort();
      for (const q of queries) {
        assert.deepEqual(all(after, q), all(before, q), q);
        assert.ok(all(after, q).length > 10);
        const filtered = after.search({ text: q, mode: 'fulltext', k: 10, filter: { pathPrefix: 'reference', fileTypes: ['markdown'] } });
        assert.ok(filtered.length > 0 && filtered.every((h) => h.chunk.path.startsWith('reference/') && h.chunk.fileType === 'markdown'));
      }
      assert.deepEqual(after.getChunk(many[7]!.id), many[7]);
      await assert.rejects(after.restore(many, undefined, new TimeSlicer()), /empty index/);
    });
  }

  it('links chunks to shared vector rows and counts references', () => {
    const index = new HybridIndex({ dimensions: 32 });
    index.add(docs);
    const rows = index.vectorRows!;
    const row = rows.alloc(unit(32, 3));
    index.linkVector(docs[0]!.id, row);
    index.linkVector(docs[1]!.id, row);
    assert.equal(rows.refCount(row), 3, 'the caller and two chunks');
    assert.equal(index.vectorRowOf(docs[1]!.id), row);
    index.removeFile('guide/setup.md');
    assert.equal(rows.refCount(row), 1, 'removed chunks release the row');
    assert.equal(index.search({ text: '', mode: 'vector', k: 3, queryVector: unit(32, 3) }).length, 0);
    assert.throws(() => index.linkVector('missing#0', row), /no chunk/);
  });
});
