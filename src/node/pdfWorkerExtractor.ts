/**
 * A PdfExtractor that runs pdf.js in a worker thread (dist/pdfWorker.js): one worker, started on
 * the first PDF, reused, stopped after a minute idle; a PDF that takes too long kills the worker
 * and is skipped with the reason.
 */
import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../core/errors';
import { BedrockDocsError } from '../core/errors';
import type { PdfExtractor, PdfPages } from '../core/ingest/parsePdf';
import type { PdfWorkerReply } from './pdfWorker';

const IDLE_MS = 60_000;

export function createWorkerPdfExtractor(workerPath: string, timeoutMs = 60_000): PdfExtractor & { dispose(): void } {
  let worker: Worker | undefined;
  let idle: NodeJS.Timeout | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (p: PdfPages) => void; reject: (e: unknown) => void }>();

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
    w.on('message', (reply: PdfWorkerReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve({ ...(reply.title ? { title: reply.title } : {}), pages: reply.pages });
      else p.reject(new BedrockDocsError(reply.code as ErrorCode, reply.message, reply.hint));
    });
    w.on('error', (err) => stop(new BedrockDocsError('BAD_INPUT', `unreadable PDF (the PDF reader failed: ${err.message})`)));
    w.on('exit', () => {
      if (worker === w) stop(new BedrockDocsError('BAD_INPUT', 'unreadable PDF (the PDF reader stopped)'));
    });
    worker = w;
    return w;
  };

  const extract = (bytes: Uint8Array, signal?: AbortSignal): Promise<PdfPages> =>
    new Promise<PdfPages>((resolve, reject) => {
      if (idle) clearTimeout(idle);
      const w = start();
      const id = nextId++;
      const timer = setTimeout(() => stop(new BedrockDocsError('BAD_INPUT', `unreadable PDF (took longer than ${timeoutMs / 1000} s)`)), timeoutMs);
      const onAbort = () => stop(new BedrockDocsError('CANCELLED', 'PDF reading was cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (pending.size === 0) idle = setTimeout(() => stop(new Error('idle')), IDLE_MS);
      };
      pending.set(id, {
        resolve: (p) => {
          settle();
          resolve(p);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      w.postMessage({ id, bytes });
    });
  return Object.assign(extract, { dispose: () => stop(new BedrockDocsError('CANCELLED', 'the PDF reader was shut down')) });
}
