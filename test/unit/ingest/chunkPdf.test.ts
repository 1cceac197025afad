import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chunkDocument } from '../../../src/core/ingest/chunkDocument';
import { BedrockDocsError } from '../../../src/core/errors';
import { makePdf } from './makePdf';
import { OVERVIEW_PDF } from './overviewPdf';

const ROOT = join(__dirname, '..', '..', '..');
const OVERVIEW = join(ROOT, 'test', 'fixtures', 'docs', 'specs', 'overview.pdf');

async function rejectsWith(promise: Promise<unknown>, code: string, reason: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof BedrockDocsError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, reason);
    return true;
  });
}

describe('chunkDocument: PDF', () => {
  it('the fixture is the file makePdf writes from its spec', () => {
    assert.deepEqual(new Uint8Array(readFileSync(OVERVIEW)), makePdf(OVERVIEW_PDF));
  });

  it('extracts text per page, with the PDF title and page numbers', async () => {
    const chunks = await chunkDocument({ path: 'specs/overview.pdf', bytes: readFileSync(OVERVIEW) });
    assert.equal(chunks.length, 2);
    assert.ok(chunks.every((c) => c.title === 'Acme Gateway Overview' && c.fileType === 'pdf'));
    assert.equal(chunks[0]?.page, 1);
    assert.match(chunks[0]?.text ?? '', /The gateway supports 40,000 concurrent connections on a host\nwith four cores/);
    assert.equal(chunks[1]?.page, 2);
    assert.match(chunks[1]?.text ?? '', /^Audit and retention\n\nAudit logs are retained for 400 days/);
    // Lines of the extracted text: page 1 has 7 lines (paragraph gaps are blank lines), then a
    // form-feed line, so page 2 starts on line 9.
    assert.deepEqual(
      chunks.map((c) => [c.startLine, c.endLine]),
      [
        [1, 7],
        [9, 12],
      ],
    );
  });

  it('cuts pages at paragraph gaps and never lets a chunk span two pages', async () => {
    const pages = Array.from({ length: 12 }, (_, p) => [
      `Page ${p + 1} heading`,
      '',
      `First paragraph of page ${p + 1} talks about setting alpha${p}.`,
      'It continues on a second line.',
      '',
      `Second paragraph of page ${p + 1} talks about setting beta${p}.`,
    ]);
    const chunks = await chunkDocument({ path: 'm.pdf', bytes: makePdf({ pages }) }, { chunkTokens: 24, overlapTokens: 0 });
    assert.equal(new Set(chunks.map((c) => c.page)).size, 12);
    for (const chunk of chunks) {
      const page = chunk.page ?? 0;
      assert.ok(!chunk.text.includes('\f'));
      for (const m of chunk.text.matchAll(/(?:alpha|beta)(\d+)/g)) assert.equal(Number(m[1]) + 1, page, chunk.text);
    }
    assert.ok(
      chunks.some((c) => /^Second paragraph of page \d+/.test(c.text)),
      'paragraph gaps found',
    );
    assert.equal(chunks[0]?.title, 'm.pdf');
  });

  it('rejects a .pdf that is not a PDF, quickly and with the reason', async () => {
    const bytes = readFileSync(join(ROOT, 'test', 'fixtures', 'docs', 'bad', 'fake.pdf'));
    await rejectsWith(chunkDocument({ path: 'bad/fake.pdf', bytes }), 'BAD_INPUT', /^not a PDF \(no %PDF header\)$/);
  });

  it('rejects an encrypted PDF', async () => {
    const bytes = makePdf({ pages: [['Secret text']], encrypted: true });
    await rejectsWith(chunkDocument({ path: 'e.pdf', bytes }), 'BAD_INPUT', /^encrypted PDF/);
  });

  it('rejects corrupt and truncated PDFs', async () => {
    const good = makePdf({ pages: [['Some text that is long enough to matter.']] });
    const noise = Uint8Array.from({ length: 20000 }, (_, i) => (i * 7919 + 13) % 256);
    const headerThenNoise = new Uint8Array([...new TextEncoder().encode('%PDF-1.7\n'), ...noise]);
    for (const bytes of [good.slice(0, 200), headerThenNoise]) {
      await rejectsWith(chunkDocument({ path: 'c.pdf', bytes }), 'BAD_INPUT', /PDF/);
    }
  });

  it('rejects a PDF without a text layer', async () => {
    await rejectsWith(chunkDocument({ path: 's.pdf', bytes: makePdf({ pages: [[], []] }) }), 'BAD_INPUT', /no extractable text/);
  });

  it('stops between pages when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const bytes = makePdf({ pages: [['One'], ['Two']] });
    await rejectsWith(chunkDocument({ path: 'a.pdf', bytes }, { signal: controller.signal }), 'CANCELLED', /cancelled/);
  });

  it("leaves the caller's bytes intact", async () => {
    const bytes = makePdf({ pages: [['Kept bytes.']] });
    const before = bytes.slice();
    await chunkDocument({ path: 'k.pdf', bytes });
    assert.deepEqual(bytes, before);
  });

  it('works when bundled by esbuild to minified CommonJS, as the extension and the CLI are', async function () {
    // Bundling pdf.js takes seconds, more on a loaded machine: this bounds a hang, it times nothing.
    this.timeout(180_000);
    const dir = mkdtempSync(join(tmpdir(), 'pdf-bundle-'));
    try {
      const entry = [
        "import { readFileSync } from 'node:fs';",
        "import { chunkDocument } from './src/core/ingest/chunkDocument';",
        'chunkDocument({ path: "o.pdf", bytes: readFileSync(process.argv[2]!) })',
        '  .then((chunks) => process.stdout.write(JSON.stringify(chunks)))',
        '  .catch((err) => { process.stderr.write(String(err)); process.exit(1); });',
      ].join('\n');
      const outfile = join(dir, 'entry.js');
      await esbuild.build({
        stdin: { contents: entry, resolveDir: ROOT, loader: 'ts', sourcefile: 'entry.ts' },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        minify: true,
        outfile,
        logLevel: 'silent',
      });
      const pdfPath = join(dir, 'o.pdf');
      writeFileSync(pdfPath, readFileSync(OVERVIEW));
      const out = execFileSync(process.execPath, [outfile, pdfPath], { cwd: dir, encoding: 'utf8' });
      const chunks = JSON.parse(out) as Array<{ text: string; page: number }>;
      assert.deepEqual(
        chunks.map((c) => c.page),
        [1, 2],
      );
      assert.match(chunks[1]?.text ?? '', /retained for 400 days/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
