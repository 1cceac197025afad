/**
 * An Embedder that returns exactly what the fake Bedrock's Titan V2 returns (`fakeEmbedding`: word
 * and bigram feature hashing, so texts that share words are near), computed in a worker thread and,
 * with `prepare`, before indexing starts: like Bedrock, the work happens off the indexing thread
 * and off its CPU, and building a 100k-chunk index does not measure an HTTP round trip per chunk.
 * Embedding throughput over the wire is measured separately.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CallOptions, EmbedPurpose, EmbedResult, Embedder } from '../../src/core/ports';

// A worker does not inherit tsx's loader: the entry registers it, then loads the .ts file.
const WORKER_ENTRY = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(${JSON.stringify(join(__dirname, 'localEmbedderWorker.ts'))});`;

export class LocalFakeEmbedder implements Embedder {
  readonly modelId = 'amazon.titan-embed-text-v2:0';
  readonly maxBatch = 16;
  calls = 0;
  texts = 0;
  private worker: Worker | undefined;
  private next = 0;
  private readonly waiting = new Map<number, (vectors: Float32Array[]) => void>();

  constructor(readonly dimensions = 1024) {}

  async embed(texts: string[], _purpose: EmbedPurpose, _options?: CallOptions): Promise<EmbedResult> {
    this.calls++;
    this.texts += texts.length;
    const id = this.next++;
    const vectors = await new Promise<Float32Array[]>((resolve) => {
      this.waiting.set(id, resolve);
      const worker = this.start();
      worker.ref();
      worker.postMessage({ id, texts, dimensions: this.dimensions });
    });
    return { vectors, inputTokens: texts.reduce((n, t) => n + Math.ceil(t.length / 4), 0) };
  }

  /** Embeds `texts` in the worker ahead of time (not counted as calls), in batches. */
  async prepare(texts: readonly string[]): Promise<void> {
    for (let i = 0; i < texts.length; i += 2000) {
      const id = this.next++;
      await new Promise<void>((resolve) => {
        this.waiting.set(id, () => resolve());
        const worker = this.start();
        worker.ref();
        worker.postMessage({ id, texts: texts.slice(i, i + 2000), dimensions: this.dimensions, prepare: true });
      });
    }
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker {
    if (!this.worker) {
      const worker = new Worker(WORKER_ENTRY, { eval: true });
      worker.on('message', (m: { id: number; flat: Float32Array }) => {
        const resolve = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        const n = m.flat.length / this.dimensions;
        // An idle worker must not keep the process alive.
        if (this.waiting.size === 0) worker.unref();
        resolve?.(Array.from({ length: n }, (_, i) => m.flat.subarray(i * this.dimensions, (i + 1) * this.dimensions)));
      });
      this.worker = worker;
    }
    return this.worker;
  }
}
