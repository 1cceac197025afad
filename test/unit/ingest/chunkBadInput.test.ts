import assert from 'node:assert/strict';
import type { Chunk } from '../../../src/core/chunk';
import { chunkDocument } from '../../../src/core/ingest/chunkDocument';
import { BedrockDocsError } from '../../../src/core/errors';
import { estimateTokens } from '../../../src/core/tokens';
import { assertTextFromLines, assertWellFormed } from './chunkChecks';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const TYPES = ['a.md', 'a.txt', 'a.rst', 'a.adoc', 'a.html'];

// A fixed pseudo-random stream, so a failure is reproducible.
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

async function badInputReason(path: string, bytes: Uint8Array): Promise<string> {
  try {
    await chunkDocument({ path, bytes });
  } catch (err) {
    assert.ok(err instanceof BedrockDocsError, `${path}: ${String(err)}`);
    assert.equal(err.code, 'BAD_INPUT');
    assert.ok(err.hint, 'a hint names the fix');
    return err.message;
  }
  assert.fail(`${path}: no error`);
}

/** Chunks, or BAD_INPUT; never another error. Chunks must be well formed. */
async function saneOrBadInput(path: string, bytes: Uint8Array, lineCount: number): Promise<Chunk[]> {
  try {
    const chunks = await chunkDocument({ path, bytes }, { chunkTokens: 128, overlapTokens: 16 });
    assertWellFormed(chunks, path, lineCount);
    return chunks;
  } catch (err) {
    assert.ok(err instanceof BedrockDocsError && err.code === 'BAD_INPUT', `${path}: ${String(err)}`);
    return [];
  }
}

describe('chunkDocument: bad and extreme input', () => {
  it('reads HTML nested 200,000 tags deep as plain text instead of parsing it', async () => {
    const chunks = await chunkDocument({ path: 'deep.html', bytes: Buffer.from(`<p>unique marker words</p>${'<b>'.repeat(200_000)}`) }, {});
    assert.ok(chunks.length > 0);
    assert.ok(
      chunks.some((c) => c.text.includes('unique marker words')),
      'the text is still indexed',
    );
    assert.equal(chunks[0]!.fileType, 'html');
  });

  it('says "binary content" for random bytes and bytes with NULs, in every text format', async () => {
    for (const path of TYPES) {
      assert.equal(await badInputReason(path, noise(50_000, 7)), 'binary content');
      assert.equal(await badInputReason(path, new Uint8Array([0x23, 0x20, 0x41, 0x00, 0x42])), 'binary content');
    }
  });

  it('says "not valid UTF-8 text" for Latin-1 text', async () => {
    const latin1 = new Uint8Array([...enc('Caf'), 0xe9, ...enc(' au lait\n')]);
    for (const path of TYPES) assert.equal(await badInputReason(path, latin1), 'not valid UTF-8 text');
  });

  it('reads UTF-16 text that starts with a byte order mark', async () => {
    const text = '# Titre\n\nCafé crème.\n';
    const le = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))]);
    const be = Buffer.from(le).swap16();
    for (const bytes of [le, new Uint8Array(be)]) {
      const chunks = await chunkDocument({ path: 'u.md', bytes });
      assert.equal(chunks[0]?.text, '# Titre\n\nCafé crème.');
    }
  });

  it('says which types it does not read', async () => {
    assert.equal(await badInputReason('a.docx', enc('text')), 'not a supported document type');
  });

  it('returns no chunks for empty and blank files', async () => {
    for (const path of [...TYPES]) {
      assert.deepEqual(await chunkDocument({ path, bytes: new Uint8Array() }), []);
      assert.deepEqual(await chunkDocument({ path, bytes: enc('\ufeff \n\n\t\r\n') }), []);
    }
  });

  it('cuts a 5 MB single line into chunks within the budget, losing nothing', async () => {
    const sentence = 'The proxy listens on port 3128 and forwards requests upstream. ';
    const line = sentence.repeat(Math.ceil(5_000_000 / sentence.length)).trimEnd();
    for (const path of TYPES) {
      const body = path.endsWith('.html') ? `<p>${line}</p>` : line;
      const chunks = await chunkDocument({ path, bytes: enc(body) }, { chunkTokens: 350, overlapTokens: 0 });
      assert.ok(chunks.length > 1000, path);
      assert.ok(
        chunks.every((c) => c.startLine === 1 && c.endLine === 1 && estimateTokens(c.text) <= 350),
        path,
      );
      assert.equal(
        chunks.reduce((n, c) => n + c.text.length + 1, -1),
        line.length,
        `${path}: characters lost`,
      );
    }
  });

  it('cuts a 5 MB line without spaces at characters', async () => {
    const chunks = await chunkDocument({ path: 'b.txt', bytes: enc('Q'.repeat(2_000_000) + 'x7'.repeat(1_500_000)) });
    assert.ok(chunks.length > 100);
    assert.equal(chunks.map((c) => c.text).join(''), 'Q'.repeat(2_000_000) + 'x7'.repeat(1_500_000));
  });

  it('survives 10,000 nested blockquotes and list levels', async () => {
    const cases: Array<[string, string]> = [
      ['one-line quotes', `${'> '.repeat(10_000)}deep quote text`],
      ['one-line lists', `${'- '.repeat(10_000)}deep list text`],
      ['quote per line', Array.from({ length: 1000 }, (_, i) => `${'>'.repeat(i + 1)} level ${i} text`).join('\n')],
      ['list per line', Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- level ${i} text`).join('\n')],
    ];
    for (const [name, md] of cases) {
      const chunks = await saneOrBadInput('n.md', enc(md), md.split('\n').length);
      assert.ok(chunks.length > 0, name);
      assertTextFromLines(chunks, md);
      // Text below markdown-it's nesting limit is still indexed.
      assert.ok(
        chunks.some((c) => c.text.includes(name.startsWith('one') ? 'deep' : 'level 999 text')),
        name,
      );
    }
  });

  it('survives 10,000 nested and unclosed HTML elements', async () => {
    const nested = `${'<div><blockquote>'.repeat(10_000)}deep${'</blockquote></div>'.repeat(10_000)}`;
    const unclosed = '<ul><li><p>item '.repeat(10_000);
    for (const html of [nested, unclosed]) {
      const chunks = await saneOrBadInput('n.html', enc(html), 1);
      assert.ok(chunks.length > 0);
    }
  });

  it('gives sane chunks or BAD_INPUT for mangled text in every format', async () => {
    const base = '# T\n\n```js\nx\n\n== A\n----\n<p>q</p>\nTitle\n=====\n.. code-block::\n\n   y\n> > - [x](y\n| a |\n|---|\n';
    for (const path of TYPES) {
      for (let seed = 1; seed <= 20; seed++) {
        const r = noise(200, seed);
        const chars = [...base];
        for (let k = 0; k < 40; k++)
          chars.splice((r[k] ?? 0) % chars.length, (r[k + 40] ?? 0) % 3, '`-=<>#|\n '[(r[k + 80] ?? 0) % 9] ?? '');
        const text = chars.join('').repeat(5);
        await saneOrBadInput(path, enc(text), text.split('\n').length);
      }
    }
  });
});
