import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chunkDocument } from '../../../src/core/ingest/chunkDocument';
import { estimateTokens } from '../../../src/core/tokens';
import { assertTextFromLines, assertWellFormed, sourceLines } from './chunkChecks';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'docs');
const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

async function chunkFixture(path: string, options = {}) {
  const source = readFileSync(join(FIXTURES, path), 'utf8');
  const chunks = await chunkDocument({ path, bytes: enc(source) }, options);
  return { source, chunks };
}

describe('chunkDocument: Markdown', () => {
  it('builds breadcrumbs from the heading path and takes the first h1 as title', async () => {
    const { chunks } = await chunkFixture('guide/setup.md');
    const proxy = chunks.find((c) => c.text.includes('port 3128 by default'));
    assert.ok(proxy);
    assert.deepEqual(proxy.breadcrumb, ['Guide', 'Setup', 'Proxy']);
    assert.equal(proxy.title, 'Guide');
    assert.equal(proxy.fileType, 'markdown');
    assert.deepEqual(chunks.find((c) => c.text.includes('E42'))?.breadcrumb, ['Guide', 'Troubleshooting']);
  });

  it('gives each chunk the exact source lines it covers', async () => {
    for (const path of ['guide/setup.md', 'guide/faq.md', 'README.md']) {
      const { source, chunks } = await chunkFixture(path);
      assertWellFormed(chunks, path, source.split('\n').length);
      for (const chunk of chunks) assert.equal(chunk.text, sourceLines(source, chunk.startLine, chunk.endLine), chunk.id);
    }
  });

  it('keeps a code fence whole, with its opening and closing lines', async () => {
    const { chunks } = await chunkFixture('guide/setup.md', { chunkTokens: 64, overlapTokens: 0 });
    const fence = chunks.filter((c) => c.text.includes('upstream_timeout_ms = 15000'));
    assert.equal(fence.length, 1);
    assert.match(fence[0]?.text ?? '', /```toml\n\[proxy\]\nport = 3128\nbind = "0.0.0.0"\nupstream_timeout_ms = 15000\n```/);
  });

  it('reads the title from front matter and leaves the front matter out of the chunks', async () => {
    const { chunks } = await chunkFixture('guide/faq.md');
    assert.equal(chunks[0]?.title, 'Frequently Asked Questions');
    assert.ok(chunks.every((c) => !c.text.includes('tags:')));
    assert.equal(chunks[0]?.startLine, 6);
    assert.deepEqual(chunks[0]?.breadcrumb, ['Does the gateway support HTTP/2?']);
  });

  it('falls back to the file name for a title', async () => {
    const chunks = await chunkDocument({ path: 'docs/notes-2024.md', bytes: enc('Just a paragraph.\n') });
    assert.equal(chunks[0]?.title, 'notes-2024.md');
    assert.deepEqual(chunks[0]?.breadcrumb, []);
  });

  it('splits a long section within the budget, consecutive chunks overlapping', async () => {
    const { source, chunks } = await chunkFixture('guide/setup.md', { chunkTokens: 120, overlapTokens: 30 });
    const trouble = chunks.filter((c) => c.breadcrumb.at(-1) === 'Troubleshooting');
    assert.ok(trouble.length >= 4, `only ${trouble.length} chunks`);
    for (const chunk of trouble) assert.ok(estimateTokens(chunk.text) <= 130, `${chunk.id}: ${estimateTokens(chunk.text)} tokens`);
    for (let i = 1; i < trouble.length; i++) {
      const prev = trouble[i - 1]!;
      const next = trouble[i]!;
      assert.ok(next.startLine <= prev.endLine, `${next.id} does not overlap ${prev.id}`);
      const shared = sourceLines(source, next.startLine, prev.endLine);
      assert.ok(estimateTokens(shared) <= 45, `overlap of ${estimateTokens(shared)} tokens`);
    }
    // Every line of the section is in some chunk.
    const first = trouble[0]!.startLine;
    const last = trouble.at(-1)!.endLine;
    for (let line = first; line <= last; line++) {
      if (sourceLines(source, line, line).trim() === '') continue;
      assert.ok(
        trouble.some((c) => c.startLine <= line && line <= c.endLine),
        `line ${line} lost`,
      );
    }
  });

  it('does not overlap chunks of different sections', async () => {
    const { chunks } = await chunkFixture('guide/setup.md', { chunkTokens: 120, overlapTokens: 30 });
    for (let i = 1; i < chunks.length; i++) {
      if (chunks[i]!.breadcrumb.join('>') !== chunks[i - 1]!.breadcrumb.join('>')) {
        assert.ok(chunks[i]!.startLine > chunks[i - 1]!.endLine, chunks[i]!.id);
      }
    }
  });

  it('merges a heading-only section into its first subsection', async () => {
    const md = '# Guide\n\n## Setup\n\n### Proxy\n\nThe proxy listens on port 3128.\n\n## Other\n\nText.\n';
    const chunks = await chunkDocument({ path: 'g.md', bytes: enc(md) });
    assert.equal(chunks.length, 2);
    assert.deepEqual(chunks[0]?.breadcrumb, ['Guide', 'Setup', 'Proxy']);
    assert.equal(chunks[0]?.startLine, 1);
    assert.deepEqual(chunks[1]?.breadcrumb, ['Guide', 'Other']);
  });

  it('keeps a heading-only section that has no subsection as its own chunk', async () => {
    const chunks = await chunkDocument({ path: 'g.md', bytes: enc('## Empty\n\n## Full\n\nBody.\n') });
    assert.deepEqual(
      chunks.map((c) => c.breadcrumb),
      [['Empty'], ['Full']],
    );
  });

  it('uses the plain text of headings (no emphasis, code or link syntax)', async () => {
    const md = '# The *fast* `proxy` [guide](x.md) {#top}\n\nBody.\n';
    const chunks = await chunkDocument({ path: 'h.md', bytes: enc(md) });
    assert.deepEqual(chunks[0]?.breadcrumb, ['The fast proxy guide']);
  });

  it('splits a paragraph larger than the budget at sentence ends', async () => {
    const sentence = (i: number) => `Sentence number ${i} says the proxy forwards request ${i} upstream.`;
    const md = `# Long\n\n${Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ')}\n`;
    const chunks = await chunkDocument({ path: 'l.md', bytes: enc(md) }, { chunkTokens: 64, overlapTokens: 0 });
    assert.ok(chunks.length > 5);
    for (const chunk of chunks.slice(1)) {
      assert.match(chunk.text, /^Sentence number \d+/, chunk.text);
      assert.match(chunk.text, /upstream\.$/, chunk.text);
    }
    assertTextFromLines(chunks, md);
  });

  it('splits a huge fence at lines and re-fences every piece with the same info string', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `const value${i} = compute(${i}, "item");`);
    const md = `# Code\n\n\`\`\`ts\n${lines.join('\n')}\n\`\`\`\n\nAfter the fence.\n`;
    const chunks = await chunkDocument({ path: 'c.md', bytes: enc(md) }, { chunkTokens: 100, overlapTokens: 20 });
    const pieces = chunks.filter((c) => c.text.includes('const value'));
    assert.ok(pieces.length > 8);
    for (const piece of pieces) {
      assert.match(piece.text, /```ts\n/);
      assert.match(piece.text, /\n```(\n|$)/);
      assert.equal((piece.text.match(/```/g) ?? []).length, 2, piece.text);
    }
    const seen = pieces.flatMap((p) => p.text.match(/value\d+ /g) ?? []);
    assert.equal(new Set(seen).size, 400);
    assert.equal(seen.length, 400, 'no code line repeated as overlap');
  });

  it('keeps a fence up to 8x the budget whole', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `let x${i} = ${i};`);
    const md = `\`\`\`js\n${lines.join('\n')}\n\`\`\`\n`;
    const chunks = await chunkDocument({ path: 'c.md', bytes: enc(md) }, { chunkTokens: 64 });
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0]?.text, md.trimEnd());
  });

  it('splits a long list between items, not inside them', async () => {
    const items = Array.from({ length: 50 }, (_, i) => `- Item ${i}: the gateway keeps setting ${i}\n  on a second line.`);
    const md = `# List\n\n${items.join('\n')}\n`;
    const chunks = await chunkDocument({ path: 'l.md', bytes: enc(md) }, { chunkTokens: 80, overlapTokens: 0 });
    assert.ok(chunks.length > 3);
    for (const chunk of chunks.slice(1)) assert.match(chunk.text, /^- Item \d+/);
    for (const chunk of chunks) assert.equal(chunk.text, sourceLines(md, chunk.startLine, chunk.endLine));
  });

  it('counts lines the way editors do for CRLF, CR and a BOM', async () => {
    for (const eol of ['\r\n', '\r']) {
      const md = `\ufeff# Title${eol}${eol}First paragraph.${eol}${eol}## Next${eol}${eol}Second paragraph.${eol}`;
      const chunks = await chunkDocument({ path: 'e.md', bytes: enc(md) });
      assert.deepEqual(
        chunks.map((c) => [c.startLine, c.endLine]),
        [
          [1, 3],
          [5, 7],
        ],
      );
      assert.equal(chunks[0]?.text, '# Title\n\nFirst paragraph.');
      assert.equal(chunks[0]?.title, 'Title');
    }
  });
});
