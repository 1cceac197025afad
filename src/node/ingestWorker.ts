/**
 * Worker-thread entry (bundled as dist/ingestWorker.js): parses and chunks one document away from
 * the extension host's main thread. Parsing a large Markdown or HTML file takes a few hundred ms of
 * synchronous work, and pdf.js's Node polyfills assign `globalThis.navigator`, which VS Code's
 * extension host hides; a worker has its own globals and keeps the host responsive.
 */
import { parentPort } from 'node:worker_threads';
import type { Chunk } from '../core/chunk';
import { BedrockDocsError } from '../core/errors';
import { chunkDocument } from '../core/ingest/chunkDocument';

export interface IngestRequest {
  id: number;
  path: string;
  bytes: Uint8Array;
  chunkTokens?: number;
  overlapTokens?: number;
}

export type IngestReply =
  { id: number; ok: true; chunks: Chunk[] } | { id: number; ok: false; code: string; message: string; hint?: string };

parentPort?.on('message', (request: IngestRequest) => {
  chunkDocument(
    { path: request.path, bytes: request.bytes },
    { chunkTokens: request.chunkTokens, overlapTokens: request.overlapTokens },
  ).then(
    (chunks) => parentPort?.postMessage({ id: request.id, ok: true, chunks } satisfies IngestReply),
    (err: unknown) => {
      const e = err instanceof BedrockDocsError ? err : undefined;
      parentPort?.postMessage({
        id: request.id,
        ok: false,
        code: e?.code ?? 'BAD_INPUT',
        message: e?.message ?? `could not be parsed: ${String(err).slice(0, 200)}`,
        ...(e?.hint ? { hint: e.hint } : {}),
      } satisfies IngestReply);
    },
  );
});
