import assert from 'node:assert/strict';
import { meterEmbedder } from '../../src/core/metering/meteredPorts';
import { testMeter } from '../helpers/testMeter';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BedrockDocsError } from '../../src/core/errors';
import { embeddingText, Indexer } from '../../src/core/indexer';
import type { IndexerOptions, SyncProgress } from '../../src/core/indexer';
import { chunkDocument } from '../../src/core/ingest/chunkDocument';
import type { CallOptions, DocumentSource, EmbedPurpose, EmbedResult, Embedder, Logger, SourceListing } from '../../src/core/ports';
import { FileSnapshotStore } from '../../src/node/fileSnapshotStore';

const DIMS = 64;
const CHUNKING = { chunkTokens: 64, overlapTokens: 8 };

class MemorySource implements DocumentSource {
  readonly files = new Map<string, { text: string; mtimeMs: number }>();
  private clock = 1000;
  write(path: string, text: string): void {
    this.files.set(path, { text, mtimeMs: ++this.clock });
  }
  touch(path: string): void {
    this.files.get(path)!.mtimeMs = ++this.clock;
  }
  async list(): Promise<SourceListing> {
    return { files: [...this.files].map(([path, f]) => ({ path, size: Buffer.byteLength(f.text), mtimeMs: f.mtimeMs })), skipped: [] };
  }
  async read(path: string, _options?: CallOptions): Promise<Uint8Array> {
    return Buffer.from(this.files.get(path)!.text);
  }
}

class CountingEmbedder implements Embedder {
  readonly modelId = 'amazon.titan-embed-text-v2:0';
  readonly dimensions = DIMS;
  readonly maxBatch = 1;
  texts: string[] = [];
  failOn?: (text: string) => BedrockDocsError | undefined;
  onCall?: () => void;
  async embed(texts: string[], _purpose: EmbedPurpose, options: CallOptions = {}): Promise<EmbedResult> {
    if (options.signal?.aborted) throw new BedrockDocsError('CANCELLED', 'cancelled');
    this.onCall?.();
    const error = this.failOn?.(texts[0]!);
    if (error) throw error;
    this.texts.push(...texts);
    return { vectors: texts.map(vectorOf), inputTokens: 1 };
  }
}

function vectorOf(text: string): Float32Array {
  const v = new Float32Array(DIMS);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 7;
    for (let i = 0; i < word.length; i++) h = (h * 31 + word.charCodeAt(i)) >>> 0;
    v[h % DIMS]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function page(topic: string, sections: number): string {
  const parts = [`# ${topic} guide`, ''];
  for (let s = 0; s < sections; s++) {
    parts.push(
      `## ${topic} step ${s}`,
      '',
      `The ${topic} service handles request ${s} with a timeout of ${s * 5} seconds and retries on throttling errors.`,
    );
    parts.push(
      `Configure ${topic}-${s} with the console or the CLI; the default region is us-east-1 and the quota is ${100 + s} calls.`,
      '',
    );
  }
  return parts.join('\n');
}

async function texts(path: string, text: string, chunking = CHUNKING): Promise<Set<string>> {
  const chunks = await chunkDocument({ path, bytes: Buffer.from(text) }, chunking);
  return new Set(chunks.map(embeddingText));
}

describe('Indexer', () => {
  let dir: string;
  let source: MemorySource;
  let logs: string[];
  const logger: Logger = {
    trace() {},
    debug() {},
    info: (m) => logs.push(`info ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    error: (m) => logs.push(`error ${m}`),
  };
  const make = (embedder: Embedder | undefined, extra: Partial<IndexerOptions> = {}) =>
    new Indexer({ source, chunking: CHUNKING, logger, store: new FileSnapshotStore(dir), embedder, ...extra });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'indexer-'));
    logs = [];
    source = new MemorySource();
    for (const topic of ['proxy', 'lambda', 'bucket', 'queue', 'cache']) source.write(`docs/${topic}.md`, page(topic, 6));
    source.write('notes.txt', 'Short note about the proxy port 3128.');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('restores with zero embedding calls and answers as before', async () => {
    const first = new CountingEmbedder();
    const a = make(first);
    const report = await a.sync();
    assert.ok(report.chunks > 20 && report.embedded === first.texts.length && report.vectors === report.chunks);
    const second = new CountingEmbedder();
    const b = make(second);
    assert.equal(await b.restore(), true);
    assert.equal(second.texts.length, 0);
    assert.equal(b.index.size, a.index.size);
    assert.equal(b.index.vectorCount, a.index.vectorCount);
    for (const q of ['proxy timeout step 3', 'bucket quota', 'lambda console region']) {
      const ids = async (ix: Indexer) =>
        (await ix.retrieve(q, { k: 5, mode: 'fulltext' })).map((h) => `${h.chunk.id} ${h.score.toFixed(6)}`).sort();
      assert.deepEqual(await ids(b), await ids(a), q);
      const vector = (await b.index.search({ text: '', mode: 'vector', k: 3, queryVector: vectorOf(q) })).map((h) => h.chunk.id);
      assert.deepEqual(
        vector,
        a.index.search({ text: '', mode: 'vector', k: 3, queryVector: vectorOf(q) }).map((h) => h.chunk.id),
      );
    }
    const again = await b.sync();
    assert.equal(again.changedFiles, 0);
    assert.equal(second.texts.length, 0, 'nothing changed, nothing embedded');
  });

  it('editing one file re-embeds only its changed chunks', async () => {
    const embedder = new CountingEmbedder();
    const indexer = make(embedder);
    await indexer.sync();
    const before = source.files.get('docs/lambda.md')!.text;
    const after = before.replace('handles request 4 with', 'handles request 4 (and its retries) with');
    source.write('docs/lambda.md', after);
    const old = await texts('docs/lambda.md', before);
    const expected = [...(await texts('docs/lambda.md', after))].filter((t) => !old.has(t));
    assert.ok(expected.length >= 1 && expected.length < old.size);
    embedder.texts = [];
    const report = await indexer.sync();
    assert.equal(report.changedFiles, 1);
    assert.deepEqual(embedder.texts.sort(), expected.sort());
    assert.equal(report.vectors, report.chunks);
  });

  it('a chunking change re-chunks and reuses the embeddings of unchanged text', async () => {
    const embedder = new CountingEmbedder();
    await make(embedder).sync();
    const embeddedBefore = new Set(embedder.texts);
    const wider = { chunkTokens: 96, overlapTokens: 8 };
    const second = new CountingEmbedder();
    const indexer = make(second, { chunking: wider });
    assert.equal(await indexer.restore(), false);
    assert.ok(logs.some((l) => /chunking settings changed/.test(l)));
    const report = await indexer.sync();
    const now = new Set<string>();
    for (const [path, f] of source.files) for (const t of await texts(path, f.text, wider)) now.add(t);
    const fresh = [...now].filter((t) => !embeddedBefore.has(t));
    assert.ok(now.size > fresh.length, 'some chunk texts are unchanged');
    assert.deepEqual(second.texts.sort(), fresh.sort());
    assert.equal(report.vectors, report.chunks);
  });

  it('drops deleted files, also across a restart', async () => {
    const a = make(new CountingEmbedder());
    await a.sync();
    source.files.delete('docs/queue.md');
    const report = await a.sync();
    assert.equal(report.removedFiles, 1);
    assert.ok(!(await a.retrieve('queue service', { k: 10, mode: 'fulltext' })).some((h) => h.chunk.path === 'docs/queue.md'));
    const b = make(new CountingEmbedder());
    await b.restore();
    assert.ok(!b.index.filePaths().includes('docs/queue.md'));
  });

  it('catches up on what changed while closed: a touched file is hashed, not re-chunked; an edited one is', async () => {
    await make(new CountingEmbedder()).sync();
    source.touch('docs/cache.md');
    source.write('docs/proxy.md', page('proxy', 7));
    source.write('docs/new.md', page('stream', 2));
    const embedder = new CountingEmbedder();
    const b = make(embedder);
    await b.restore();
    const report = await b.sync();
    assert.equal(report.changedFiles, 2, 'proxy.md and new.md; cache.md only moved its mtime');
    assert.ok(embedder.texts.every((t) => /proxy|stream/.test(t)));
    const c = make(new CountingEmbedder());
    await c.restore();
    assert.equal((await c.sync()).changedFiles, 0, 'the new mtime was saved');
  });

  it('rebuilds a corrupt snapshot with a log line, and keeps the embeddings of an older layout', async () => {
    const first = new CountingEmbedder();
    await make(first).sync();
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { version: number };
    await writeFile(manifestPath, JSON.stringify({ ...manifest, version: 1 }));
    const second = new CountingEmbedder();
    const older = make(second);
    assert.equal(await older.restore(), false);
    assert.ok(
      logs.some((l) => /^info index snapshot version 1 is not 2/.test(l)),
      logs.join('\n'),
    );
    const report = await older.sync();
    assert.equal(second.texts.length, 0, 'every text was in the kept embeddings');
    assert.equal(report.vectors, report.chunks);

    await writeFile(manifestPath, '{ torn');
    logs = [];
    const broken = make(new CountingEmbedder());
    assert.equal(await broken.restore(), false);
    assert.ok(
      logs.some((l) => /^warn index snapshot unreadable, rebuilding: .*not valid JSON/.test(l)),
      logs.join('\n'),
    );
    assert.ok((await broken.sync()).chunks > 20);
  });

  it('answers from the part already indexed while a sync goes on', async () => {
    const indexer = make(undefined);
    const seen: number[] = [];
    let asked: Promise<void> | undefined;
    await indexer.sync({
      onProgress: (p: SyncProgress) => {
        if (p.phase === 'read' && p.done === 3 && !asked) {
          asked = indexer
            .retrieve('proxy lambda bucket queue cache service', { k: 50, mode: 'fulltext' })
            .then((hits) => void seen.push(new Set(hits.map((h) => h.chunk.path)).size));
        }
      },
    });
    await asked;
    assert.ok(seen[0]! >= 1 && seen[0]! < 5, `hits from ${seen[0]} files while indexing`);
  });

  it('reports chunks that could not be embedded and embeds them on the next sync', async () => {
    const embedder = new CountingEmbedder();
    embedder.failOn = (t) => (t.includes('bucket-2') ? new BedrockDocsError('UNKNOWN', 'the model said no') : undefined);
    const indexer = make(embedder);
    const report = await indexer.sync();
    assert.ok(report.failedEmbeddings >= 1);
    assert.equal(report.vectors, report.chunks - report.failedEmbeddings);
    assert.equal(indexer.pendingEmbeddings, report.failedEmbeddings);
    assert.ok(logs.some((l) => /could not be embedded \(retried on the next index run\)/.test(l)));
    embedder.failOn = undefined;
    embedder.texts = [];
    const next = await indexer.sync();
    assert.equal(next.failedEmbeddings, 0);
    assert.equal(embedder.texts.length, report.failedEmbeddings);
    assert.equal(next.vectors, next.chunks);
  });

  it('keeps the vectors paid for before a cancel', async () => {
    const controller = new AbortController();
    const embedder = new CountingEmbedder();
    embedder.onCall = () => {
      if (embedder.texts.length === 10) controller.abort();
    };
    const indexer = make(embedder, { embedConcurrency: 1 });
    await assert.rejects(indexer.sync({ signal: controller.signal }), (e: { code?: string }) => e.code === 'CANCELLED');
    const paid = embedder.texts.length;
    const next = new CountingEmbedder();
    const restarted = make(next);
    assert.equal(await restarted.restore(), true);
    assert.ok(restarted.index.vectorCount >= paid - 1);
    const report = await restarted.sync();
    assert.equal(next.texts.length + paid, report.chunks, 'only the rest is embedded');
  });

  it('behind the metered embedder, sends redacted text; a redaction change re-embeds nothing', async () => {
    const first = new CountingEmbedder();
    const redactPort = testMeter({ redact: (t) => t.replace(/3128/g, '[PORT]') });
    const report = await make(meterEmbedder(first, redactPort.meter)).sync();
    assert.ok(
      first.texts.some((t) => t.includes('[PORT]')),
      'the port left redacted',
    );
    assert.ok(!first.texts.some((t) => t.includes('3128')), 'never in the clear');
    redactPort.meter.flush();
    assert.equal(
      redactPort.records.reduce((n, r) => n + r.requests, 0),
      first.texts.length,
      'one request recorded per call',
    );
    assert.ok(redactPort.records.every((r) => r.purpose === 'indexEmbedding'));
    // Vectors are keyed on the local text: turning redaction off keeps every restored vector.
    const second = new CountingEmbedder();
    const restarted = make(meterEmbedder(second, testMeter().meter));
    assert.equal(await restarted.restore(), true);
    const again = await restarted.sync();
    assert.deepEqual(second.texts, []);
    assert.equal(again.vectors, report.chunks);
  });
});

describe('Indexer saves', () => {
  it('saves after a change and skips the save when a sync changed nothing', async () => {
    const source = new MemorySource();
    source.write('a.md', page('alpha', 3));
    let saves = 0;
    const inner = new FileSnapshotStore(await mkdtemp(join(tmpdir(), 'saves-')));
    const store = {
      load: () => inner.load(),
      save: async (s: Parameters<FileSnapshotStore['save']>[0]) => void (saves++, await inner.save(s)),
    };
    const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const indexer = new Indexer({ source, chunking: CHUNKING, logger: quiet, store, embedder: new CountingEmbedder() });
    await indexer.sync();
    assert.equal(saves, 1);
    await indexer.sync();
    assert.equal(saves, 1, 'nothing changed: no save');
    source.touch('a.md');
    await indexer.sync();
    assert.equal(saves, 2, 'a new mtime is worth saving (no re-hash next time)');
    const restarted = new Indexer({ source, chunking: CHUNKING, logger: quiet, store, embedder: new CountingEmbedder() });
    await restarted.restore();
    await restarted.sync();
    assert.equal(saves, 2, 'a restored index that is up to date is not saved again');
    await rm(inner.dir, { recursive: true, force: true });
  });
});
