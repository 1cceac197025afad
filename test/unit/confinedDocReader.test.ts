import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BedrockDocsError } from '../../src/core/errors';
import { ConfinedDocReader, normalizeDocGlob, normalizeDocPath } from '../../src/node/confinedDocReader';
import { makePdf } from './ingest/makePdf';

const SECRET = 'TOP SECRET: do not leak';
const SETUP = Array.from({ length: 30 }, (_, i) => `setup line ${i + 1}`).join('\n') + '\n';

let base: string;
let ws: string;
let outside: string;

function write(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Asserts the promise fails with BAD_INPUT and that nothing of the secret leaks into the error. */
async function refused(promise: Promise<unknown>, pattern?: RegExp): Promise<BedrockDocsError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof BedrockDocsError, `expected a refusal, got ${caught === undefined ? 'a result' : String(caught)}`);
  assert.equal(caught.code, 'BAD_INPUT');
  assert.ok(!caught.message.includes(SECRET) && !(caught.hint ?? '').includes(SECRET));
  if (pattern) assert.match(caught.message, pattern);
  return caught;
}

before(() => {
  base = mkdtempSync(join(tmpdir(), 'confined-'));
  ws = join(base, 'ws');
  outside = join(base, 'outside');
  write(join(outside, 'secret.md'), SECRET);
  write(join(outside, 'dir', 'inner.md'), SECRET);
  write(join(ws, 'guide', 'setup.md'), SETUP);
  write(join(ws, 'notes.txt'), 'short\r\nnotes\r\n');
  write(join(ws, 'wide.md'), `${'x'.repeat(50)}\n${'y'.repeat(50)}\n${'z'.repeat(50)}\n`);
  write(join(ws, 'big.md'), 'a'.repeat(5000));
  write(join(ws, 'binary.md'), new Uint8Array([0x23, 0x20, 0x00, 0x01, 0x02, 0x00, 0x41]));
  write(join(ws, '.env'), `AWS_SECRET_ACCESS_KEY=${SECRET}`);
  write(join(ws, 'spec.pdf'), makePdf({ pages: [['First page line'], ['Second page line']] }));
  mkdirSync(join(ws, 'folder.md'));
  symlinkSync(join(ws, 'guide', 'setup.md'), join(ws, 'link-in.md'));
  symlinkSync(join(outside, 'secret.md'), join(ws, 'link-out.md'));
  symlinkSync('../outside/dir', join(ws, 'linkdir'));
  symlinkSync(join(ws, '.env'), join(ws, 'link-env.md'));
});

after(() => rmSync(base, { recursive: true, force: true }));

describe('ConfinedDocReader: reading', () => {
  const reader = () => new ConfinedDocReader({ roots: [{ name: 'ws', root: ws }], maxFileBytes: 4096 });

  it('returns 1-based inclusive line ranges with the document length', async () => {
    const excerpt = await reader().read('guide/setup.md', { startLine: 3, endLine: 5 });
    assert.deepEqual(excerpt, {
      path: 'guide/setup.md',
      startLine: 3,
      endLine: 5,
      totalLines: 30,
      text: 'setup line 3\nsetup line 4\nsetup line 5',
      clamped: false,
    });
  });

  it('clamps a range past the end, and caps lines per read', async () => {
    const pastEnd = await reader().read('guide/setup.md', { startLine: 28, endLine: 99 });
    assert.deepEqual([pastEnd.startLine, pastEnd.endLine, pastEnd.clamped], [28, 30, true]);
    const capped = await new ConfinedDocReader({ roots: [{ name: 'ws', root: ws }], maxLines: 4 }).read('guide/setup.md', {
      startLine: 1,
      endLine: 30,
    });
    assert.deepEqual([capped.startLine, capped.endLine, capped.text.split('\n').length], [1, 4, 4]);
  });

  it('cuts to whole lines under maxChars, and endLine names the last line returned', async () => {
    const excerpt = await reader().read('wide.md', { startLine: 1, endLine: 3, maxChars: 110 });
    assert.deepEqual([excerpt.endLine, excerpt.text, excerpt.clamped], [2, `${'x'.repeat(50)}\n${'y'.repeat(50)}`, true]);
    const oneLong = await reader().read('wide.md', { startLine: 1, endLine: 3, maxChars: 10 });
    assert.deepEqual([oneLong.startLine, oneLong.endLine, oneLong.text], [1, 1, `${'x'.repeat(10)}…`]);
  });

  it('refuses a start past the end, naming the number of lines', async () => {
    await refused(reader().read('guide/setup.md', { startLine: 31, endLine: 40 }), /has 30 lines/);
  });

  it('counts lines as editors do (CRLF normalised) and reads PDF text', async () => {
    const notes = await reader().read('notes.txt', { startLine: 1, endLine: 5 });
    assert.deepEqual([notes.text, notes.totalLines], ['short\nnotes', 2]);
    const pdf = await reader().read('spec.pdf', { startLine: 1, endLine: 10 });
    assert.match(pdf.text, /First page line[\s\S]*Second page line/);
  });

  it('follows a link that stays inside the workspace', async () => {
    assert.equal((await reader().read('link-in.md', { startLine: 1, endLine: 1 })).text, 'setup line 1');
  });

  it('refuses links that lead out, by file or by folder, and links to non-documents', async () => {
    await refused(reader().read('link-out.md', { startLine: 1, endLine: 5 }), /outside the workspace/);
    await refused(reader().read('linkdir/inner.md', { startLine: 1, endLine: 5 }), /outside the workspace/);
    await refused(reader().read('link-env.md', { startLine: 1, endLine: 5 }), /not documentation/);
  });

  const attacks: Array<[string, string]> = [
    ['parent segment', '../outside/secret.md'],
    ['climb after a folder', 'guide/../../outside/secret.md'],
    ['backslash climb', '..\\outside\\secret.md'],
    ['absolute POSIX path', '/etc/passwd.md'],
    ['absolute path of the target', '<outside>/secret.md'],
    ['drive letter', 'C:\\Windows\\win.md'],
    ['drive-relative', 'C:secret.md'],
    ['UNC path', '\\\\server\\share\\secret.md'],
    ['file URL', 'file:///etc/passwd.md'],
    ['URL-encoded dots', '%2e%2e/outside/secret.md'],
    ['URL-encoded slash', '..%2foutside%2fsecret.md'],
    ['double-encoded', '%252e%252e%252foutside%252fsecret.md'],
    ['full-width dots', '\uff0e\uff0e/outside/secret.md'],
    ['Windows trailing space', '.. /outside/secret.md'],
    ['triple dots', '.../outside/secret.md'],
    ['NUL byte', 'guide/setup.md\u0000.md'],
    ['alternate data stream', 'guide/setup.md:hidden.md'],
    ['device name', 'con.md'],
    ['not a document', '.env'],
    ['empty', ''],
  ];
  for (const [name, path] of attacks) {
    it(`refuses ${name} before reading`, async () => {
      // Refused by the path check itself, not by a later "no such file".
      await refused(
        reader().read(path.replace('<outside>', outside), { startLine: 1, endLine: 10 }),
        /^Refused|control characters|is empty/,
      );
    });
  }

  it('refuses directories, binary files and files over the size cap', async () => {
    await refused(reader().read('folder.md', { startLine: 1, endLine: 1 }), /not a file/);
    await refused(reader().read('binary.md', { startLine: 1, endLine: 1 }), /binary|not valid/i);
    await refused(reader().read('big.md', { startLine: 1, endLine: 1 }), /larger than 4 KiB/);
    await refused(reader().read('missing.md', { startLine: 1, endLine: 1 }), /No document/);
  });

  it('reads only indexed paths when given them', async () => {
    const indexed = new ConfinedDocReader({ roots: [{ name: 'ws', root: ws }], allowedPaths: () => ['guide/setup.md'] });
    assert.equal((await indexed.read('./guide//setup.md', { startLine: 2, endLine: 2 })).text, 'setup line 2');
    await refused(indexed.read('notes.txt', { startLine: 1, endLine: 1 }), /not an indexed document/);
  });

  it('prefixes paths with the folder name when there are several folders', async () => {
    const multi = new ConfinedDocReader({
      roots: [
        { name: 'ws', root: ws },
        { name: 'other', root: outside },
      ],
    });
    const excerpt = await multi.read('ws/guide/setup.md', { startLine: 1, endLine: 1 });
    assert.deepEqual([excerpt.path, excerpt.text], ['ws/guide/setup.md', 'setup line 1']);
    await refused(multi.read('nowhere/guide/setup.md', { startLine: 1, endLine: 1 }), /no workspace folder/);
    await refused(multi.read('ws/../other/secret.md', { startLine: 1, endLine: 1 }));
  });
});

describe('ConfinedDocReader: listing', () => {
  it('lists documents matching a glob, sorted, without following links out or showing non-documents', async () => {
    const reader = new ConfinedDocReader({ roots: [{ name: 'ws', root: ws }] });
    const all = await reader.list('**');
    assert.ok(all.paths.includes('guide/setup.md') && all.paths.includes('notes.txt'));
    assert.ok(!all.paths.some((p) => p.startsWith('linkdir/') || p === '.env'), all.paths.join(', '));
    assert.deepEqual(all.paths, [...all.paths].sort());
    assert.deepEqual((await reader.list('guide/*.md')).paths, ['guide/setup.md']);
  });

  it('applies the limit but reports the total', async () => {
    const listing = await new ConfinedDocReader({
      roots: [{ name: 'ws', root: ws }],
      allowedPaths: () => ['a.md', 'b.md', 'c.md', '.env'],
    }).list('**', { limit: 2 });
    assert.deepEqual(listing, { paths: ['a.md', 'b.md'], total: 3 });
  });

  it('refuses globs that climb or are absolute', async () => {
    const reader = new ConfinedDocReader({ roots: [{ name: 'ws', root: ws }] });
    for (const glob of ['../**', 'guide/../../**', '/etc/*', 'C:/**', '%2e%2e/**', '']) await refused(reader.list(glob));
  });
});

describe('normalizeDocPath / normalizeDocGlob', () => {
  it('normalises separators and dot segments', () => {
    assert.equal(normalizeDocPath('./guide//setup.md'), 'guide/setup.md');
    assert.equal(normalizeDocPath('guide\\setup.md'), 'guide/setup.md');
    assert.equal(normalizeDocGlob('./guide\\**'), 'guide/**');
  });
});
