import assert from 'node:assert/strict';
import { TimeSlicer } from '../../../src/core/index/slices';
import { TextEngine } from '../../../src/core/index/textEngine';
import type { TextIndexState } from '../../../src/core/index/textIndexState';
import { exportTextIndex, loadTextIndex, TEXT_INDEX_VERSION } from '../../../src/core/index/textIndexState';

const docs = [
  { body: 'The proxy listens on port 3128 behind the firewall.', title: 'Proxy', headings: 'Guide \n Setup', path: 'guide/setup.md' },
  { body: 'The firewall blocks outbound traffic by default.', title: 'Firewall', headings: 'Guide', path: 'guide/firewall.md' },
  {
    body: 'Install the CLI with npm and run it; DescribeDBInstances lists databases.',
    title: 'CLI',
    headings: 'Reference',
    path: 'reference/cli.md',
  },
  {
    body: 'Function timeout settings and memory limits for the proxy.',
    title: 'Limits',
    headings: 'Reference \n Limits',
    path: 'reference/limits.md',
  },
];
const queries = ['which port does the proxy listen on', 'firewall outbound', 'describe db instances', 'function timeout', 'limits proxy'];

async function exported(): Promise<{ engine: TextEngine; state: TextIndexState }> {
  const engine = new TextEngine();
  // Engine ids with gaps and a removed doc, as Orama's internal ids look after edits.
  docs.forEach((d, i) => engine.add(10 + i * 3, d));
  engine.add(99, { body: 'temporary proxy text', title: '', headings: '', path: 'tmp.md' });
  engine.remove(99, { body: 'temporary proxy text', title: '', headings: '', path: 'tmp.md' });
  const state = await exportTextIndex(
    engine,
    Int32Array.from(docs, (_, i) => 10 + i * 3),
    new TimeSlicer(),
  );
  return { engine, state };
}

describe('text index state (snapshots of the engine)', () => {
  it('loads back under other doc ids with the same scores, analysing nothing', async () => {
    const { engine, state } = await exported();
    assert.equal(state.docCount, 4);
    assert.ok(!state.terms.includes('temporari'), 'terms no doc uses are dropped');
    const restored = new TextEngine();
    const docIds = Int32Array.from([5, 1, 7, 3]);
    await loadTextIndex(restored, state, docIds, new TimeSlicer());
    assert.equal(restored.size, 4);
    const map = new Map(docs.map((_, i) => [10 + i * 3, docIds[i]!]));
    for (const q of queries) {
      const want = engine.search(q, 10).map((h) => ({ docId: map.get(h.docId), score: h.score }));
      assert.deepEqual(restored.search(q, 10), want, q);
    }
    restored.remove(5, docs[0]);
    restored.add(8, { body: 'a new proxy document about ports', title: '', headings: '', path: 'new.md' });
    assert.ok(
      restored.search('proxy port', 10).some((h) => h.docId === 8),
      'a restored engine keeps indexing',
    );
    assert.ok(!restored.search('3128', 10).some((h) => h.docId === 5));
  });

  it('rejects a stale or damaged state as INDEX_CORRUPT and leaves the engine as it was', async () => {
    const { state } = await exported();
    const ids = Int32Array.from([0, 1, 2, 3]);
    const isCorrupt = (e: { code?: string }) => e.code === 'INDEX_CORRUPT';
    const target = new TextEngine();
    target.add(42, { body: 'kept', title: '', headings: '', path: '' });
    await assert.rejects(loadTextIndex(target, { ...state, version: TEXT_INDEX_VERSION + 1 }, ids, new TimeSlicer()), isCorrupt);
    await assert.rejects(loadTextIndex(target, state, Int32Array.from([0, 1, 2]), new TimeSlicer()), isCorrupt);
    await assert.rejects(
      loadTextIndex(target, { ...state, terms: [...state.terms.slice(0, -1), state.terms[0]!] }, ids, new TimeSlicer()),
      isCorrupt,
    );
    const badDocs = state.postingDocs.map((s) => s.slice());
    badDocs[0]![0] = 77;
    await assert.rejects(loadTextIndex(target, { ...state, postingDocs: badDocs }, ids, new TimeSlicer()), isCorrupt);
    await assert.rejects(
      loadTextIndex(target, { ...state, pairOffsets: state.pairOffsets.map((o, i) => (i === 2 ? 0 : o)) }, ids, new TimeSlicer()),
      isCorrupt,
    );
    assert.deepEqual(
      target.search('kept', 5).map((h) => h.docId),
      [42],
    );
  });
});
