import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BedrockDocsError } from '../../src/core/errors';
import { defaultSettings } from '../../src/core/settings';
import type { DiscoverOptions } from '../../src/node/discoverFiles';
import { describeFsError, discoverFiles } from '../../src/node/discoverFiles';
import { readDocumentBytes } from '../../src/node/readDocument';

const FIXTURES = join(__dirname, '..', 'fixtures', 'docs');

function defaults(overrides: Partial<DiscoverOptions> = {}): DiscoverOptions {
  const s = defaultSettings();
  return {
    include: s['index.include'],
    exclude: s['index.exclude'],
    respectGitignore: s['index.respectGitignore'],
    maxFileSizeKB: s['index.maxFileSizeKB'],
    ...overrides,
  };
}

/** A temporary folder with the given files ('' content allowed); removed after each test. */
function workspace(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'discover-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  roots.push(root);
  return root;
}
const roots: string[] = [];

async function paths(root: string, overrides: Partial<DiscoverOptions> = {}): Promise<string[]> {
  return (await discoverFiles(root, defaults(overrides))).files.map((f) => f.path);
}

describe('discoverFiles', () => {
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('finds the fixture documents, skips the binary one and the gitignored folder', async () => {
    assert.ok(existsSync(join(FIXTURES, 'ignored', 'secret.md')), 'the ignored fixture must exist to prove anything');
    const { files, skipped } = await discoverFiles(FIXTURES, defaults());
    assert.deepEqual(
      files.map((f) => f.path),
      [
        'README.md',
        'bad/fake.pdf',
        'guide/faq.md',
        'guide/setup.md',
        'handbook.adoc',
        'manual.rst',
        'notes.txt',
        'reference/api.html',
        'specs/overview.pdf',
      ],
    );
    assert.deepEqual(skipped, [{ path: 'bad/binary.md', reason: 'binary file' }]);
    const readme = files[0]!;
    assert.equal(readme.absPath, join(FIXTURES, 'README.md'));
    assert.ok(readme.size > 100 && readme.mtimeMs > 0);
  });

  it('applies include and exclude globs; excluded folders are not indexed', async () => {
    const root = workspace({
      'docs/a.md': '# A',
      'docs/drafts/b.md': '# B',
      'docs/c.txt': 'C',
      'other/d.md': '# D',
      'node_modules/pkg/README.md': '# pkg',
    });
    assert.deepEqual(await paths(root, { include: ['docs/**/*.md'], exclude: ['**/drafts/**'] }), ['docs/a.md']);
    assert.deepEqual(await paths(root), ['docs/a.md', 'docs/c.txt', 'docs/drafts/b.md', 'other/d.md']);
  });

  it('leaves out dot folders unless a pattern names them', async () => {
    const root = workspace({ '.github/CONTRIBUTING.md': '# C', '.venv/lib/LICENSE.txt': 'MIT', 'README.md': '# R' });
    assert.deepEqual(await paths(root), ['README.md']);
    assert.deepEqual(await paths(root, { include: ['**/*.md', '.github/**/*.md'] }), ['.github/CONTRIBUTING.md', 'README.md']);
  });

  it('applies nested .gitignore files to their own folder, deeper rules winning', async () => {
    const root = workspace({
      '.gitignore': '*.draft.md\ngen/\n',
      'a.md': '',
      'a.draft.md': '',
      'gen/out.md': '',
      'sub/.gitignore': 'local.md\n!keep.draft.md\n',
      'sub/local.md': '',
      'sub/keep.draft.md': '',
      'sub/other.draft.md': '',
      'local.md': '',
    });
    assert.deepEqual(await paths(root), ['a.md', 'local.md', 'sub/keep.draft.md']);
    assert.equal((await paths(root, { respectGitignore: false })).length, 7);
  });

  it('cannot re-include a file under an ignored folder', async () => {
    const root = workspace({ '.gitignore': 'docs/\n', 'docs/.gitignore': '!keep.md\n', 'docs/keep.md': '', 'top.md': '' });
    assert.deepEqual(await paths(root), ['top.md']);
  });

  it("applies .git/info/exclude and the repository's .gitignore above the root", async () => {
    const repo = workspace({
      '.git/info/exclude': 'private.md\n',
      '.gitignore': 'docs/generated/\n',
      'docs/guide.md': '',
      'docs/private.md': '',
      'docs/generated/api.md': '',
    });
    assert.deepEqual(await paths(repo), ['docs/guide.md']);
    assert.deepEqual(await paths(join(repo, 'docs')), ['guide.md']);
  });

  it('skips files over the size limit, naming the setting', async () => {
    const root = workspace({ 'big.md': 'x'.repeat(3 * 1024), 'small.md': 'x'.repeat(1024) });
    const { files, skipped } = await discoverFiles(root, defaults({ maxFileSizeKB: 2 }));
    assert.deepEqual(
      files.map((f) => f.path),
      ['small.md'],
    );
    assert.deepEqual(skipped, [{ path: 'big.md', reason: 'larger than bedrockDocs.index.maxFileSizeKB (2 KiB)' }]);
  });

  it('skips binary files but leaves PDFs to the PDF reader', async () => {
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 0, 0, 0]);
    const root = workspace({ 'image.md': binary, 'doc.pdf': new Uint8Array([...Buffer.from('%PDF-1.4\n'), ...binary]), 'ok.md': '# ok' });
    const { files, skipped } = await discoverFiles(root, defaults());
    assert.deepEqual(
      files.map((f) => f.path),
      ['doc.pdf', 'ok.md'],
    );
    assert.deepEqual(skipped, [{ path: 'image.md', reason: 'binary file' }]);
  });

  it('reports matched files of a type it cannot read', async () => {
    const root = workspace({ 'data.json': '{}', 'a.md': '' });
    const { files, skipped } = await discoverFiles(root, defaults({ include: ['**/*'] }));
    assert.deepEqual(
      files.map((f) => f.path),
      ['a.md'],
    );
    assert.deepEqual(skipped, [{ path: 'data.json', reason: 'not a supported document type' }]);
  });

  it('never follows a symbolic link out of the root, nor loops', async () => {
    const root = workspace({ 'real.md': '# real', 'node_modules/pkg/README.md': '# pkg', 'docs/a.md': '# a' });
    symlinkSync('/etc', join(root, 'etc'));
    symlinkSync('/etc/hostname', join(root, 'hostname.md'));
    symlinkSync('..', join(root, 'docs', 'loop'));
    symlinkSync(root, join(root, 'docs', 'again'));
    symlinkSync('self.md', join(root, 'self.md'));
    symlinkSync('missing.md', join(root, 'dangling.md'));
    symlinkSync('real.md', join(root, 'alias.md'));
    symlinkSync('node_modules/pkg/README.md', join(root, 'pkg.md'));
    const { files, skipped } = await discoverFiles(root, defaults());
    assert.deepEqual(
      files.map((f) => f.path),
      ['docs/a.md', 'pkg.md', 'real.md'],
    );
    assert.deepEqual(skipped, [
      { path: 'alias.md', reason: 'symbolic link to real.md, which is indexed' },
      { path: 'dangling.md', reason: 'broken symbolic link' },
      { path: 'hostname.md', reason: 'symbolic link to a file outside the workspace folder' },
      { path: 'self.md', reason: 'cannot read: symbolic link loop (ELOOP)' },
    ]);
    assert.equal(files.find((f) => f.path === 'pkg.md')?.size, '# pkg'.length);
  });

  it('returns the same sorted result every time', async () => {
    const names = ['b.md', 'B.md', 'a/z.md', 'a.md', 'a-b.md', 'ä.md', '10.md', '9.md'];
    const root = workspace(Object.fromEntries(names.map((n) => [n, n])));
    const first = await paths(root);
    assert.deepEqual(first, ['10.md', '9.md', 'B.md', 'a-b.md', 'a.md', 'a/z.md', 'b.md', 'ä.md']);
    assert.deepEqual(await paths(root), first);
  });

  it('stops with CANCELLED when the signal aborts, before or during the walk', async () => {
    const files: Record<string, string> = {};
    for (let d = 0; d < 40; d++) for (let f = 0; f < 50; f++) files[`d${d}/f${f}.md`] = 'x';
    const root = workspace(files);
    const isCancelled = (err: unknown) => err instanceof BedrockDocsError && err.code === 'CANCELLED';
    await assert.rejects(discoverFiles(root, defaults({ signal: AbortSignal.abort() })), isCancelled);
    const controller = new AbortController();
    const running = discoverFiles(root, defaults({ signal: controller.signal }));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await assert.rejects(running, isCancelled);
  });

  it('throws BAD_INPUT for a root that is not a folder', async () => {
    await assert.rejects(
      discoverFiles('/nonexistent/folder/xyz', defaults()),
      (err: unknown) => err instanceof BedrockDocsError && err.code === 'BAD_INPUT' && /no longer exists|ENOENT/.test(err.message),
    );
  });
});

describe('readDocumentBytes', () => {
  it('reads the bytes of a discovered file', async () => {
    const { files } = await discoverFiles(FIXTURES, defaults());
    const bytes = await readDocumentBytes(files.find((f) => f.path === 'notes.txt')!);
    assert.match(new TextDecoder().decode(bytes), /^Operations notes\n/);
  });

  it('turns file system errors into BAD_INPUT with a reason', async () => {
    await assert.rejects(
      readDocumentBytes({ absPath: join(FIXTURES, 'gone.md') }),
      (err: unknown) =>
        err instanceof BedrockDocsError && err.code === 'BAD_INPUT' && err.message === 'cannot read: file no longer exists (ENOENT)',
    );
    await assert.rejects(
      readDocumentBytes({ absPath: join(FIXTURES, 'README.md') }, { maxFileSizeKB: 0.1 }),
      /larger than bedrockDocs.index.maxFileSizeKB/,
    );
    assert.equal(describeFsError(Object.assign(new Error('x'), { code: 'EACCES' })), 'permission denied (EACCES)');
  });
});
