import assert from 'node:assert/strict';
import { AdaptiveLimiter } from '../../src/core/embedding/adaptiveLimiter';
import { EmbeddingCache } from '../../src/core/embedding/embeddingCache';
import { embedTexts } from '../../src/core/embedding/embedTexts';
import { BedrockDocsError } from '../../src/core/errors';
import { EMBEDDING_SEGMENT_ROWS } from '../../src/core/index/snapshot';
import { TimeSlicer } from '../../src/core/index/slices';
import type { EmbedPurpose, EmbedResult, Embedder } from '../../src/core/ports';

const DIMS = 32;

function vectorOf(text: string): Float32Array {
  const v = new Float32Array(DIMS);
  for (let i = 0; i < text.length; i++) v[(text.charCodeAt(i) * 7 + i) % DIMS]! += 1;
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** Scripted embedder: `fail(texts, call)` may throw; records calls and the most requests in flight. */
class ScriptedEmbedder implements Embedder {
  readonly modelId = 'test-model';
  readonly dimensions = DIMS;
  calls: string[][] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly maxBatch = 1,
    private readonly fail: (texts: string[], call: number) => BedrockDocsError | undefined = () => undefined,
  ) {}

  async embed(texts: string[], _purpose: EmbedPurpose): Promise<EmbedResult> {
    const call = this.calls.push(texts);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const error = this.fail(texts, call);
      if (error) throw error;
      return { vectors: texts.map(vectorOf), inputTokens: texts.length * 10 };
    } finally {
      this.inFlight--;
    }
  }
}

const jobs = (n: number) => Array.from({ length: n }, (_, i) => ({ hash: `h${i}`, text: `text number ${i}` }));
const noWait = async () => undefined;

describe('embedTexts', () => {
  it('embeds each distinct hash once, within the concurrency, and links as vectors land', async () => {
    const embedder = new ScriptedEmbedder();
    const cache = new EmbeddingCache('m', DIMS);
    const landed: string[] = [];
    const result = await embedTexts([...jobs(12), { hash: 'h3', text: 'text number 3' }], embedder, cache, {
      concurrency: 3,
      onEmbedded: (hash) => landed.push(hash),
    });
    assert.equal(result.embedded, 12);
    assert.equal(embedder.calls.length, 12);
    assert.ok(embedder.maxInFlight <= 3 && embedder.maxInFlight >= 2);
    assert.equal(landed.length, 12);
    assert.deepEqual(
      [...(cache.get('h5') ?? [])].map((x) => Math.round(x * 100)),
      [...vectorOf('text number 5')].map((x) => Math.round(x * 100)),
    );
    const again = await embedTexts(jobs(12), embedder, cache, { concurrency: 3 });
    assert.equal(again.embedded, 0, 'cached hashes are not embedded again');
  });

  it('queues throttled batches again with growing pauses until they succeed, halving the requests in flight', async () => {
    let throttles = 0;
    const embedder = new ScriptedEmbedder(1, (texts) =>
      texts[0]!.endsWith(' 4') && throttles++ < 3 ? new BedrockDocsError('THROTTLED', 'slow down') : undefined,
    );
    const pauses: number[] = [];
    const result = await embedTexts(jobs(8), embedder, new EmbeddingCache('m', DIMS), {
      concurrency: 4,
      retryDelayMs: 100,
      sleep: async (ms) => void pauses.push(ms),
    });
    assert.equal(result.embedded, 8);
    assert.deepEqual(result.failed, []);
    assert.equal(result.retried, 3);
    assert.equal(result.throttled, 3);
    assert.equal(pauses.length, 3);
    assert.ok(pauses[0]! >= 75 && pauses[0]! <= 125 && pauses[2]! >= 300 && pauses[2]! <= 500, `exponential pauses: ${pauses.join(', ')}`);
  });

  it('reports what still fails after its retries, and stops at once on an error no retry fixes', async () => {
    const always = new ScriptedEmbedder(1, (texts) =>
      texts[0]!.endsWith(' 2') ? new BedrockDocsError('SERVICE_UNAVAILABLE', 'down') : undefined,
    );
    const partial = await embedTexts(jobs(4), always, new EmbeddingCache('m', DIMS), { concurrency: 2, maxRetries: 2, sleep: noWait });
    assert.equal(partial.embedded, 3);
    assert.deepEqual(
      partial.failed.map((f) => f.hash),
      ['h2'],
    );
    assert.equal(partial.retried, 2);

    const denied = new ScriptedEmbedder(1, () => new BedrockDocsError('ACCESS_DENIED', 'no access'));
    const fatal = await embedTexts(jobs(50), denied, new EmbeddingCache('m', DIMS), { concurrency: 4, sleep: noWait });
    assert.equal(fatal.fatal?.code, 'ACCESS_DENIED');
    assert.ok(denied.calls.length <= 4, `stopped after ${denied.calls.length} calls`);
  });

  it('splits a batch a bad text failed, so only that text is lost', async () => {
    const embedder = new ScriptedEmbedder(4, (texts) =>
      texts.includes('text number 6') ? new BedrockDocsError('VALIDATION', 'too long') : undefined,
    );
    const result = await embedTexts(jobs(8), embedder, new EmbeddingCache('m', DIMS), { concurrency: 1, sleep: noWait });
    assert.equal(result.embedded, 7);
    assert.deepEqual(
      result.failed.map((f) => f.hash),
      ['h6'],
    );
  });

  it('paces requests to maxPerSecond', async () => {
    let clock = 0;
    const sleep = async (ms: number) => void (clock = Math.max(clock, clock + ms));
    await embedTexts(jobs(6), new ScriptedEmbedder(), new EmbeddingCache('m', DIMS), {
      concurrency: 4,
      maxPerSecond: 10,
      now: () => clock,
      sleep,
    });
    assert.equal(clock, 500, 'the sixth request starts half a second after the first');
  });

  it('throws CANCELLED when the signal fires', async () => {
    const controller = new AbortController();
    const embedder = new ScriptedEmbedder(1, (_texts, call) => (call === 3 ? (controller.abort(), undefined) : undefined));
    await assert.rejects(
      embedTexts(jobs(40), embedder, new EmbeddingCache('m', DIMS), { concurrency: 2, signal: controller.signal }),
      (e: { code?: string }) => e.code === 'CANCELLED',
    );
    assert.ok(embedder.calls.length < 40);
  });
});

describe('AdaptiveLimiter', () => {
  it('spaces starts 1000 / maxPerSecond apart', async () => {
    let clock = 0;
    const limiter = new AdaptiveLimiter({ maxConcurrency: 4, maxPerSecond: 20, now: () => clock, sleep: async (ms) => void (clock += ms) });
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await limiter.acquire();
      starts.push(clock);
      limiter.release('ok');
    }
    assert.deepEqual(starts, [0, 50, 100, 150]);
  });

  it('halves the window on throttling and grows it back on success', async () => {
    const limiter = new AdaptiveLimiter({ maxConcurrency: 8 });
    assert.equal(limiter.window, 8);
    await limiter.acquire();
    limiter.release('throttled');
    assert.equal(limiter.window, 4);
    await limiter.acquire();
    limiter.release('throttled');
    await limiter.acquire();
    limiter.release('throttled');
    await limiter.acquire();
    limiter.release('throttled');
    assert.equal(limiter.window, 1, 'never below one');
    for (let i = 0; i < 20; i++) {
      await limiter.acquire();
      limiter.release('ok');
    }
    assert.ok(limiter.window >= 5 && limiter.window <= 8);
  });
});

describe('EmbeddingCache', () => {
  it('round-trips through a segmented table and keeps codes', async () => {
    const cache = new EmbeddingCache('m', DIMS);
    const n = EMBEDDING_SEGMENT_ROWS + 5;
    for (let i = 0; i < n; i++) cache.set(`h${i}`, vectorOf(`t${i}`));
    const { table, indexOfRow } = await cache.toTable(new TimeSlicer());
    assert.equal(table.vectors.length, 2);
    assert.equal(table.vectors[1]!.length, 5 * DIMS);
    assert.equal(indexOfRow[cache.rowOf('h7')!], 7);
    const loaded = new EmbeddingCache('m', DIMS);
    const rowOfIndex = await loaded.load(table, new TimeSlicer());
    assert.equal(loaded.size, n);
    assert.deepEqual(loaded.get(`h${n - 1}`), cache.get(`h${n - 1}`));
    assert.equal(loaded.rowOf('h3'), rowOfIndex![3]);
    assert.equal(await new EmbeddingCache('other-model', DIMS).load(table), undefined, "another model's table is ignored");
    assert.equal(await loaded.load({ ...table, vectors: table.vectors.slice(0, 1) }), undefined, 'a malformed table is ignored');
  });

  it('prunes only vectors no chunk references, keeping the newest spares', async () => {
    const cache = new EmbeddingCache('m', DIMS);
    for (let i = 0; i < 10; i++) cache.set(`h${i}`, vectorOf(`t${i}`));
    cache.rows.ref(cache.rowOf('h0')!); // a chunk uses h0
    assert.equal(await cache.prune(3), 6);
    assert.deepEqual(
      ['h0', 'h7', 'h8', 'h9'].map((h) => cache.has(h)),
      [true, true, true, true],
    );
    assert.equal(cache.size, 4);
    assert.equal(cache.rows.size, 4, 'pruned rows are freed');
  });
});
