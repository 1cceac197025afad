import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk } from '../../../src/core/chunk';
import { chunkDocument } from '../../../src/core/ingest/chunkDocument';
import { assertWellFormed, sourceLines } from './chunkChecks';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'docs');
const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

async function chunkFixture(path: string, options = {}): Promise<{ source: string; chunks: Chunk[] }> {
  const source = readFileSync(join(FIXTURES, path), 'utf8');
  const chunks = await chunkDocument({ path, bytes: enc(source) }, options);
  assertWellFormed(chunks, path, source.split('\n').length);
  return { source, chunks };
}

function withText(chunks: Chunk[], needle: string): Chunk {
  const found = chunks.find((c) => c.text.includes(needle));
  assert.ok(found, `no chunk has "${needle}"`);
  return found;
}

describe('chunkDocument: reStructuredText', () => {
  it('orders heading levels by first use of each adornment and keeps literal blocks whole', async () => {
    const { source, chunks } = await chunkFixture('manual.rst');
    assert.equal(chunks[0]?.title, 'Acme Gateway Manual');
    assert.deepEqual(withText(chunks, 'three health checks').breadcrumb, [
      'Acme Gateway Manual',
      'Configuration',
      'Upstreams',
      'Health checks',
    ]);
    assert.deepEqual(withText(chunks, 'check-config /etc').breadcrumb, ['Acme Gateway Manual', 'Command-line tools']);
    assert.match(withText(chunks, '[[upstream]]').text, /Example::\n\n {4}\[\[upstream\]\]\n {4}name = "billing"\n {4}hosts/);
    for (const chunk of chunks) assert.equal(chunk.text, sourceLines(source, chunk.startLine, chunk.endLine));
  });

  it('does not take an indented or paragraph line above dashes for a title', async () => {
    const rst = 'Intro paragraph line one\nline two continues\n\n    indented\n    --------\n\nEnd.\n';
    const chunks = await chunkDocument({ path: 'x.rst', bytes: enc(rst) });
    assert.ok(chunks.every((c) => c.breadcrumb.length === 0));
  });
});

describe('chunkDocument: AsciiDoc', () => {
  it('builds breadcrumbs from = headings and keeps a listing block with its [source] line', async () => {
    const { source, chunks } = await chunkFixture('handbook.adoc');
    assert.equal(chunks[0]?.title, 'Acme On-call Handbook');
    const escalation = withText(chunks, 'after 15 minutes');
    assert.deepEqual(escalation.breadcrumb, ['Acme On-call Handbook', 'On-call', 'Escalation']);
    assert.match(
      escalation.text,
      /\[source,bash\]\n\.Silence an alert\n----\nacme-alerts silence[^]*\n\nacme-alerts list --state silenced\n----$/,
    );
    for (const chunk of chunks) assert.equal(chunk.text, sourceLines(source, chunk.startLine, chunk.endLine));
  });

  it('ignores heading-like lines inside a listing block', async () => {
    const adoc = '= Doc\n\n== Real\n\n----\n== not a heading\n----\n\nAfter.\n';
    const chunks = await chunkDocument({ path: 'x.adoc', bytes: enc(adoc) });
    assert.ok(chunks.every((c) => !c.breadcrumb.includes('not a heading')));
    assert.deepEqual(withText(chunks, 'After.').breadcrumb, ['Doc', 'Real']);
  });
});

describe('chunkDocument: plain text', () => {
  it('chunks by paragraphs with no breadcrumb and the file name as title', async () => {
    const { chunks } = await chunkFixture('notes.txt', { chunkTokens: 32, overlapTokens: 0 });
    assert.ok(chunks.length >= 2);
    assert.ok(chunks.every((c) => c.title === 'notes.txt' && c.breadcrumb.length === 0));
    assert.equal(withText(chunks, 'Backups of the key store').startLine, 6);
  });
});

describe('chunkDocument: HTML', () => {
  it('takes <title> as title and h1-h6 as breadcrumb', async () => {
    const { chunks } = await chunkFixture('reference/api.html');
    assert.ok(chunks.every((c) => c.title === 'Acme Gateway API Reference'));
    assert.deepEqual(withText(chunks, 'returns 204').breadcrumb, ['Admin API', 'Health']);
    assert.deepEqual(withText(chunks, 'X-Admin-Token: $TOKEN').breadcrumb, ['Admin API', 'Keys', 'Create a key']);
  });

  it('returns readable text: no tags, no script/style/nav/svg, entities decoded, whitespace collapsed', async () => {
    const { chunks } = await chunkFixture('reference/api.html');
    const all = chunks.map((c) => c.text).join('\n');
    for (const hidden of ['do-not-index-this-script', 'hidden-style-text', 'navigation-text-to-skip', 'svg-text-to-skip', '<p>', '&amp;']) {
      assert.ok(!all.includes(hidden), hidden);
    }
    assert.ok(all.includes('the new key & its id'));
    assert.ok(all.includes('Every request needs the X-Admin-Token header.'));
    assert.ok(all.includes('/v2/keys | 60 requests per minute'));
  });

  it('keeps <pre> whitespace and line breaks', async () => {
    const { chunks } = await chunkFixture('reference/api.html');
    assert.ok(
      withText(chunks, 'curl -X POST').text.includes(
        'curl -X POST https://gateway:9901/v2/keys \\\n  -H "X-Admin-Token: $TOKEN" \\\n  -d \'{"name": "billing"}\'\n# => {"id"',
      ),
    );
  });

  it('maps chunks back to the source lines their text came from', async () => {
    const { source, chunks } = await chunkFixture('reference/api.html', { chunkTokens: 24, overlapTokens: 0 });
    assert.ok(chunks.length >= 6);
    const words = (text: string) => text.match(/[A-Za-z0-9/]{3,}/g) ?? [];
    for (const chunk of chunks) {
      const first = words(chunk.text)[0];
      const last = words(chunk.text).at(-1);
      assert.ok(
        first && sourceLines(source, chunk.startLine, chunk.startLine).includes(first),
        `${chunk.id}: "${first}" not on line ${chunk.startLine}`,
      );
      assert.ok(
        last && sourceLines(source, chunk.endLine, chunk.endLine).includes(last),
        `${chunk.id}: "${last}" not on line ${chunk.endLine}`,
      );
    }
    assert.deepEqual([withText(chunks, 'returns 204').startLine, withText(chunks, 'drains connections').endLine], [16, 18]);
  });

  it('uses the first h1 when there is no <title>, and survives unclosed tags', async () => {
    const html = '<div><h1>Setup &amp; Run</h1><p>First <b>bold\n<p>Second paragraph<li>item';
    const chunks = await chunkDocument({ path: 'x.html', bytes: enc(html) });
    assert.equal(chunks[0]?.title, 'Setup & Run');
    assert.equal(chunks[0]?.text, 'Setup & Run\n\nFirst bold\n\nSecond paragraph\n\nitem');
    assert.deepEqual([chunks[0]?.startLine, chunks[0]?.endLine], [1, 2]);
  });
});
