/**
 * A child process indexes and saves snapshots in a loop and is killed with SIGKILL at random
 * moments of a save; each restart must find the index whole (the last complete generation) or, if
 * not, rebuild it with a log line: never crash, never half a snapshot.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Indexer } from '../../src/core/indexer';
import type { CallOptions, DocumentSource, EmbedPurpose, EmbedResult, Embedder, Logger, SourceListing } from '../../src/core/ports';
import { FileSnapshotStore } from '../../src/node/fileSnapshotStore';

const ROOT = join(__dirname, '..', '..');
const FILES = 120;

/** The corpus both processes build: `generation` is written into one file, which changes every save. */
export function crashCorpus(generation: number): Map<string, string> {
  const files = new Map<string, string>();
  for (let f = 0; f < FILES; f++) {
    const sections = Array.from(
      { length: 8 },
      (_, s) => `## Part ${s}\n\nTopic ${f}-${s} explains setting ${s * f} of service ${f % 9}, with retries and timeouts.`,
    );
    files.set(`docs/file${f}.md`, `# File ${f}\n\n${sections.join('\n\n')}`);
  }
  files.set('docs/generation.md', `# Generation\n\nThis is generation marker gen${generation}x.`);
  return files;
}

export class CrashSource implements DocumentSource {
  constructor(private readonly files: Map<string, string>) {}
  async list(): Promise<SourceListing> {
    // The "mtime" follows the content, so the edited file looks edited.
    const stamp = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    return { files: [...this.files].map(([path, text]) => ({ path, size: text.length, mtimeMs: stamp(text) })), skipped: [] };
  }
  async read(path: string, _options?: CallOptions): Promise<Uint8Array> {
    return Buffer.from(this.files.get(path)!);
  }
}

export class HashEmbedder implements Embedder {
  readonly modelId = 'test';
  readonly dimensions = 256;
  readonly maxBatch = 8;
  calls = 0;
  async embed(texts: string[], _purpose: EmbedPurpose): Promise<EmbedResult> {
    this.calls++;
    return {
      vectors: texts.map((t) => {
        const v = new Float32Array(256);
        for (let i = 0; i < t.length; i++) v[(t.charCodeAt(i) * 31 + i) % 256]! += 1;
        const norm = Math.hypot(...v) || 1;
        return v.map((x) => x / norm);
      }),
      inputTokens: 1,
    };
  }
}

// The child: save generation after generation until it is killed. It reuses this file's helpers;
// mocha's describe() is stubbed there, so requiring the file defines no tests.
const CHILD = `
globalThis.describe = () => undefined;
const { Indexer } = require(${JSON.stringify(join(ROOT, 'src/core/indexer.ts'))});
const { FileSnapshotStore } = require(${JSON.stringify(join(ROOT, 'src/node/fileSnapshotStore.ts'))});
const { crashCorpus, CrashSource, HashEmbedder } = require(${JSON.stringify(__filename)});
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
(async () => {
  for (let g = 1; ; g++) {
    const store = new FileSnapshotStore(process.argv[1]);
    const save = store.save.bind(store);
    store.save = (snapshot) => (process.stdout.write('saving ' + g + '\\n'), save(snapshot));
    const indexer = new Indexer({ source: new CrashSource(crashCorpus(g)), chunking: {}, logger: quiet, store, embedder: new HashEmbedder() });
    await indexer.restore();
    await indexer.sync();
  }
})();
`;

function runUntilKilled(dir: string, killAfterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', CHILD, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let saving = 0;
    let armed = false;
    child.stdout.on('data', (data: Buffer) => {
      for (const m of data.toString().matchAll(/saving (\d+)/g)) saving = Number(m[1]);
      // Let two generations complete, then kill a later one `killAfterMs` into writing its snapshot.
      if (saving >= 3 && !armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.once('error', reject);
    child.once('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(saving) : reject(new Error(`child ended by itself (${signal})`)),
    );
  });
}

describe('index snapshots under kill -9 (child process)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crash-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const killAfterMs of [0, 3, 10, 25]) {
    it(`restarts on a whole snapshot after a kill ${killAfterMs} ms into a save`, async () => {
      const saving = await runUntilKilled(dir, killAfterMs);
      const logs: string[] = [];
      const logger: Logger = { trace() {}, debug() {}, info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
      const embedder = new HashEmbedder();
      const indexer = new Indexer({
        source: new CrashSource(crashCorpus(saving)),
        chunking: {},
        logger,
        store: new FileSnapshotStore(dir),
        embedder,
      });
      const restored = await indexer.restore();
      if (restored) {
        assert.equal(embedder.calls, 0);
        const markers = indexer.index
          .search({ text: 'generation marker', mode: 'fulltext', k: 5 })
          .map((h) => /gen(\d+)x/.exec(h.chunk.text)?.[1]);
        assert.equal(markers.length, 1, 'exactly one generation of the edited file');
        assert.ok(Number(markers[0]) >= saving - 1 && Number(markers[0]) <= saving, `generation ${markers[0]} while saving ${saving}`);
        assert.equal(indexer.index.vectorCount, indexer.index.size, 'chunks and vectors come from the same generation');
        assert.equal(indexer.fileCount, FILES + 1);
      } else {
        assert.ok(
          logs.some((l) => /rebuilding/.test(l)),
          `a rebuild says so: ${logs.join(' | ')}`,
        );
      }
      const report = await indexer.sync();
      assert.equal(report.chunks, indexer.index.size);
      assert.equal(report.vectors, report.chunks);
      assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.tmp')), 'the next save cleans up what the kill left');
    });
  }
});
