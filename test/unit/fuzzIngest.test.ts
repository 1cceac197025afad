import assert from 'node:assert/strict';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Chunk } from '../../src/core/chunk';
import { fileTypeOf } from '../../src/core/chunk';
import { BedrockDocsError } from '../../src/core/errors';
import { chunkDocument } from '../../src/core/ingest/chunkDocument';
import { decodeText } from '../../src/core/ingest/decodeText';
import { defaultSettings } from '../../src/core/settings';
import type { DiscoverOptions } from '../../src/node/discoverFiles';
import { discoverFiles } from '../../src/node/discoverFiles';
import { readDocumentBytes } from '../../src/node/readDocument';
import { assertWellFormed } from './ingest/chunkChecks';
import { makePdf } from './ingest/makePdf';
import type { Random } from './safety/seededRandom';
import { fuzzSeed, randomBytes, seededRandom } from './safety/seededRandom';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const EXTENSIONS = ['md', 'mdx', 'txt', 'rst', 'adoc', 'html', 'pdf'];

/** Markdown with random nesting of quotes, lists, fences, tables, headings and HTML. */
function nestedMarkdown(random: Random, lines: number): string {
  const prefixes = ['> ', '- ', '* ', '1. ', '  ', '    ', '>> ', '- [ ] '];
  const bodies = [
    'text with `code`',
    '# Heading',
    '```js',
    '```',
    '| a | b |',
    '|---|---|',
    '<div>',
    '</div>',
    '[link](x',
    '***',
    '',
    '===',
    '<!--',
    '-->',
    '$$',
    '\\',
  ];
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < lines; i++) {
    // Mostly small steps, now and then a jump of a thousand levels (markdown-it stops at 100).
    depth = Math.min(3000, Math.max(0, depth + random.int(7) - 3 + (random.bool(0.01) ? 1000 : 0)));
    let prefix = '';
    for (let d = 0; d < depth; d++) prefix += random.pick(prefixes);
    out.push(prefix + random.pick(bodies));
  }
  return out.join(random.bool() ? '\n' : '\r\n');
}

/** Valid UTF-8 text with invalid sequences spliced in: lone continuation bytes, overlongs, surrogates, truncations. */
function invalidUtf8(random: Random): Uint8Array {
  const bad = [[0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xff], [0xfe, 0xfe]];
  const parts: number[] = [...enc('# Title\n\nSome text é ü 漢字 🎉\n')];
  for (let i = 0; i < 1 + random.int(5); i++) {
    parts.splice(random.int(parts.length), 0, ...random.pick(bad));
  }
  return new Uint8Array(parts);
}

/** A small valid PDF cut short or with bytes flipped. */
function brokenPdf(random: Random): Uint8Array {
  const good = makePdf({ pages: [['Page one text that is long enough.'], ['Page two.']], title: 'T' });
  if (random.bool()) return good.slice(0, random.int(good.length));
  const bytes = good.slice();
  for (let i = 0; i < 1 + random.int(20); i++) bytes[random.int(bytes.length)] = random.int(256);
  return bytes;
}

/** One random document body, of a kind picked by the generator. */
function randomDocument(random: Random, ext: string): { kind: string; bytes: Uint8Array } {
  const kind = random.pick(['bytes', 'invalidUtf8', 'nested', 'longLine', 'brokenPdf', 'notPdf', 'empty', 'mutatedText']);
  switch (kind) {
    case 'bytes':
      return { kind, bytes: randomBytes(random, random.int(4000)) };
    case 'invalidUtf8':
      return { kind, bytes: invalidUtf8(random) };
    case 'nested':
      return { kind, bytes: enc(nestedMarkdown(random, 20 + random.int(150))) };
    case 'longLine':
      // Up to 200k repeats: deep unclosed HTML ('<b>' x 200k) used to take htmlparser2 seconds;
      // parseHtml now refuses such nesting and the file is read as plain text.
      return { kind, bytes: enc(random.pick(['word ', 'x', '<b>', '> - ', '`']).repeat(5_000 + random.int(195_000))) };
    case 'brokenPdf':
      return { kind, bytes: brokenPdf(random) };
    case 'notPdf':
      return { kind, bytes: enc(ext === 'pdf' ? 'This is text saved with a .pdf name.\n' : '%PDF-1.4\nnot really\n') };
    case 'empty':
      return { kind, bytes: new Uint8Array(random.int(2) === 0 ? 0 : 3).fill(0xef) };
    default: {
      const base = [...'# A\n\n- b\n> c\n```\nd\n```\n<p>e</p>\n.. code::\n== F\nTitle\n=====\n'];
      for (let i = 0; i < 30; i++) base.splice(random.int(base.length), random.int(3), random.pick([...'`-=<>#|\n \t*_[]()\\']));
      return { kind, bytes: enc(base.join('').repeat(1 + random.int(20))) };
    }
  }
}

/** Lines in the text chunkDocument sees, for the well-formedness check; PDFs are not bounded here. */
function lineCountOf(path: string, bytes: Uint8Array): number {
  if (fileTypeOf(path) === 'pdf') return Number.MAX_SAFE_INTEGER;
  try {
    return decodeText(bytes).split('\n').length;
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

/** Chunks that are well formed, or a BAD_INPUT with a reason and a hint; anything else fails. */
async function chunkOrReason(path: string, bytes: Uint8Array, context: string): Promise<{ chunks?: Chunk[]; reason?: string }> {
  try {
    const chunks = await chunkDocument({ path, bytes }, { chunkTokens: 64 + (bytes.length % 400) });
    assertWellFormed(chunks, path, lineCountOf(path, bytes));
    return { chunks };
  } catch (err) {
    assert.ok(err instanceof BedrockDocsError, `${context}: ${path} threw ${String(err)}`);
    assert.equal(err.code, 'BAD_INPUT', `${context}: ${path}: ${err.code} ${err.message}`);
    assert.ok(err.message.length > 0 && (err.hint ?? '').length > 0, `${context}: ${path}: a reason and a hint`);
    return { reason: err.message };
  }
}

describe('fuzz: ingestion', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('chunks random, invalid, deeply nested and broken documents of every type, or rejects them with a reason', async () => {
    const seed = fuzzSeed(20261129);
    console.log(`      seed ${seed} (FUZZ_SEED=${seed} to replay)`);
    const random = seededRandom(seed);
    const kinds = new Map<string, number>();
    for (let i = 0; i < 240; i++) {
      const ext = random.pick(EXTENSIONS);
      const { kind, bytes } = randomDocument(random, ext);
      // pdf.js is the slow part: keep the PDF share bounded.
      if (ext === 'pdf' && i % 3 !== 0) continue;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      await chunkOrReason(`f${i}.${ext}`, bytes, `seed ${seed}, case ${i} (${kind})`);
    }
    assert.equal(kinds.size, 8, `every kind of input was tried: ${[...kinds.keys()].join(', ')}`);
  });

  it('discovers, reads and chunks a hostile workspace: every file indexed or skipped with its reason, the 200 MB file never read', async () => {
    const seed = fuzzSeed(7);
    console.log(`      seed ${seed} (FUZZ_SEED=${seed} to replay)`);
    const random = seededRandom(seed);
    const root = mkdtempSync(join(tmpdir(), 'fuzz-ingest-'));
    const probeDir = mkdtempSync(join(tmpdir(), 'fuzz-atime-'));
    roots.push(root, probeDir);
    const write = (path: string, bytes: Uint8Array | string): void => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), bytes);
    };
    const expected = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const ext = random.pick(EXTENSIONS);
      const path = `${random.pick(['', 'docs/', 'docs/deep/er/', 'a b/'])}f${i}.${ext}`;
      write(path, randomDocument(random, ext).bytes);
      expected.add(path);
    }
    write('fake.pdf', 'Plain text, not a PDF.\n');
    write('truncated.pdf', makePdf({ pages: [['Some text that is long enough.']] }).slice(0, 300));
    write(
      'latin1.txt',
      new Uint8Array([...enc('Notes from the caf'), 0xe9, ...enc(' meeting: the proxy listens on port 3128 and forwards upstream.\n')]),
    );
    for (const p of ['fake.pdf', 'truncated.pdf', 'latin1.txt']) expected.add(p);

    // A sparse 200 MiB file: no disk used. Its access time is set in the past, so any read of it
    // (even the 512-byte binary sniff) moves the access time forward on a relatime mount.
    const big = join(root, 'huge.md');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 200 * 1024 * 1024);
    closeSync(fd);
    const past = new Date('2001-01-01T00:00:00Z');
    utimesSync(big, past, new Date());
    expected.add('huge.md');
    // The same treatment on a file we read ourselves tells whether this mount records reads.
    const probe = join(probeDir, 'probe.md');
    writeFileSync(probe, 'x');
    utimesSync(probe, past, new Date());
    readFileSync(probe);
    const mountRecordsReads = statSync(probe).atimeMs > past.getTime();

    symlinkSync('loop-b.md', join(root, 'loop-a.md'));
    symlinkSync('loop-a.md', join(root, 'loop-b.md'));
    symlinkSync('self.md', join(root, 'self.md'));
    symlinkSync('.', join(root, 'docs', 'again'));
    symlinkSync('..', join(root, 'docs', 'up.md'));
    symlinkSync('/etc/hostname', join(root, 'outside.md'));
    for (const p of ['loop-a.md', 'loop-b.md', 'self.md', 'docs/up.md', 'outside.md']) expected.add(p);

    const s = defaultSettings();
    const options: DiscoverOptions = {
      include: s['index.include'],
      exclude: s['index.exclude'],
      respectGitignore: true,
      maxFileSizeKB: s['index.maxFileSizeKB'],
    };
    const { files, skipped } = await discoverFiles(root, options);

    const seen = [...files.map((f) => f.path), ...skipped.map((f) => f.path)];
    assert.equal(new Set(seen).size, seen.length, 'no file is listed twice');
    assert.deepEqual(new Set(seen), expected, 'every file is indexed or skipped; links through docs/again are not walked');
    for (const { path, reason } of skipped) assert.ok(reason.length > 0, `${path} has a reason`);
    const reasonOf = (path: string): string | undefined => skipped.find((f) => f.path === path)?.reason;
    assert.equal(reasonOf('huge.md'), `larger than bedrockDocs.index.maxFileSizeKB (${options.maxFileSizeKB} KiB)`);
    assert.equal(reasonOf('self.md'), 'cannot read: symbolic link loop (ELOOP)');
    assert.equal(reasonOf('loop-a.md'), 'cannot read: symbolic link loop (ELOOP)');
    assert.equal(reasonOf('docs/up.md'), 'symbolic link to a folder (not followed)');
    assert.equal(reasonOf('outside.md'), 'symbolic link to a file outside the workspace folder');

    const outcome = new Map<string, string>();
    for (const file of files) {
      try {
        const bytes = await readDocumentBytes(file, { maxFileSizeKB: options.maxFileSizeKB });
        const { chunks, reason } = await chunkOrReason(file.path, bytes, `seed ${seed}`);
        outcome.set(file.path, reason ?? `${chunks?.length} chunks`);
      } catch (err) {
        assert.ok(err instanceof BedrockDocsError && err.code === 'BAD_INPUT', `${file.path}: ${String(err)}`);
        outcome.set(file.path, err.message);
      }
    }
    assert.equal(outcome.get('fake.pdf'), 'not a PDF (no %PDF header)');
    assert.match(outcome.get('truncated.pdf') ?? '', /PDF/);
    assert.equal(outcome.get('latin1.txt'), 'not valid UTF-8 text');

    if (mountRecordsReads) assert.equal(statSync(big).atimeMs, past.getTime(), 'the 200 MiB file was opened');
    else console.log('      (this mount does not record reads: the never-opened check rests on the size reason alone)');
  });
});
