/**
 * Chunks documents for the extension host: small text files in this thread (a few ms), PDFs and
 * large files in a worker thread (dist/ingestWorker.js), so no parse blocks the host. One worker,
 * started on first need, reused, stopped after a minute idle; a document that takes too long kills
 * the worker and is skipped with the reason.
 */
import { Worker } from 'node:worker_threads';
import type { Chunk } from '../core/chunk';
import { fileTypeOf } from '../core/chunk';
import type { ErrorCode } from '../core/errors';
import { BedrockDocsError } from '../core/errors';
import type { ChunkOptions, DocumentInput } from '../core/ingest/chunkDocument';
import { chunkDocument } from '../core/ingest/chunkDocument';
import type { IngestReply } from './ingestWorker';

const IDLE_MS = 60_000;
// Below this a Markdown or text file parses in a few ms: the worker round trip would cost more.
const INLINE_MAX_BYTES = 64 * 1024;

export interface WorkerChunker {
  chunk(input: DocumentInput, options: ChunkOptions): Promise<Chunk[]>;
  dispose(): void;
}

export function createWorkerChunker(workerPath: string, timeoutMs = 60_000): WorkerChunker {
  let worker: Worker | undefined;
  let idle: NodeJS.Timeout | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (c: Chunk[]) => void; reject: (e: unknown) => void }>();

  const stop = (reason: unknown) => {
    const w = worker;
    worker = undefined;
    for (const p of pending.values()) p.reject(reason);
    pending.clear();
    void w?.terminate();
  };

  const start = (): Worker => {
    if (worker) return worker;
    const w = new Worker(workerPath);
    w.unref();
    w.on('message', (reply: IngestReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.chunks);
      else p.reject(new BedrockDocsError(reply.code as ErrorCode, reply.message, reply.hint));
    });
    w.on('error', (err) => stop(new BedrockDocsError('BAD_INPUT', `could not be parsed (the document reader failed: ${err.message})`)));
    w.on('exit', () => {
      if (worker === w) stop(new BedrockDocsError('BAD_INPUT', 'could not be parsed (the document reader stopped)'));
    });
    worker = w;
    return w;
  };

  const inWorker = (input: DocumentInput, options: ChunkOptions): Promise<Chunk[]> =>
    new Promise<Chunk[]>((resolve, reject) => {
      if (idle) clearTimeout(idle);
      const w = start();
      const id = nextId++;
      const timer = setTimeout(() => stop(new BedrockDocsError('BAD_INPUT', `could not be parsed in ${timeoutMs / 1000} s`)), timeoutMs);
      const onAbort = () => stop(new BedrockDocsError('CANCELLED', 'indexing was cancelled'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (pending.size === 0) idle = setTimeout(() => stop(new Error('idle')), IDLE_MS);
      };
      pending.set(id, {
        resolve: (c) => {
          settle();
          resolve(c);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      w.postMessage({ id, path: input.path, bytes: input.bytes, chunkTokens: options.chunkTokens, overlapTokens: options.overlapTokens });
    });

  return {
    chunk(input, options) {
      const pdf = (options.fileType ?? fileTypeOf(input.path)) === 'pdf';
      return pdf || input.bytes.byteLength > INLINE_MAX_BYTES ? inWorker(input, options) : chunkDocument(input, options);
    },
    dispose: () => stop(new BedrockDocsError('CANCELLED', 'the document reader was shut down')),
  };
}
