/**
 * Worker-thread entry (bundled as dist/pdfWorker.js): extracts a PDF's pages with pdf.js away from
 * the extension host's main thread. VS Code's extension host hides `globalThis.navigator`, which
 * pdf.js's Node polyfills try to assign; a worker has its own globals, and a long PDF no longer
 * blocks the host.
 */
import { parentPort } from 'node:worker_threads';
import { BedrockDocsError } from '../core/errors';
import { extractPdfPages } from '../core/ingest/parsePdf';

export interface PdfWorkerRequest {
  id: number;
  bytes: Uint8Array;
}

export type PdfWorkerReply =
  | { id: number; ok: true; title?: string; pages: string[] }
  | { id: number; ok: false; code: string; message: string; hint?: string };

parentPort?.on('message', (request: PdfWorkerRequest) => {
  extractPdfPages(request.bytes).then(
    (result) => parentPort?.postMessage({ id: request.id, ok: true, ...result } satisfies PdfWorkerReply),
    (err: unknown) => {
      const e = err instanceof BedrockDocsError ? err : undefined;
      parentPort?.postMessage({ id: request.id, ok: false, code: e?.code ?? 'BAD_INPUT', message: e?.message ?? `unreadable PDF (${String(err).slice(0, 120)})`, ...(e?.hint ? { hint: e.hint } : {}) } satisfies PdfWorkerReply);
    },
  );
});
