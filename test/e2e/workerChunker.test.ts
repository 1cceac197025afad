/** The extension's worker-thread chunker (dist/ingestWorker.js): same chunks as in-thread, errors with reasons. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chunkDocument } from '../../src/core/ingest/chunkDocument';
import { createWorkerChunker } from '../../src/node/workerChunker';
import type { WorkerChunker } from '../../src/node/workerChunker';

const ROOT = join(__dirname, '..', '..');
const DOCS = join(ROOT, 'test', 'fixtures', 'docs');

describe('worker-thread chunker (built dist/ingestWorker.js)', function () {
  this.timeout(60_000);
  let chunker: WorkerChunker;
  before(() => {
    chunker = createWorkerChunker(join(ROOT, 'dist', 'ingestWorker.js'));
  });
  after(() => chunker.dispose());

  it('chunks a PDF and a large Markdown file in the worker exactly as in this thread', async () => {
    const pdf = { path: 'specs/overview.pdf', bytes: await readFile(join(DOCS, 'specs', 'overview.pdf')) };
    const big = { path: 'big.md', bytes: Buffer.from(`# Big\n\n${'A paragraph about the proxy port and its limits. '.repeat(3000)}\n`) };
    for (const input of [pdf, big]) {
      const inWorker = await chunker.chunk(input, { chunkTokens: 350, overlapTokens: 40 });
      const inThread = await chunkDocument(input, { chunkTokens: 350, overlapTokens: 40 });
      assert.ok(inWorker.length > 0);
      assert.deepEqual(inWorker, inThread);
    }
  });

  it('reports a file that is not a PDF with its reason', async () => {
    await assert.rejects(
      chunker.chunk({ path: 'bad/fake.pdf', bytes: Buffer.from('not a pdf at all') }, {}),
      (e: { code?: string; message: string }) => e.code === 'BAD_INPUT' && /not a PDF/.test(e.message),
    );
  });
});
