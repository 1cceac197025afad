/**
 * What every CLI command needs: the folder's settings (plus flags), the Bedrock ports, and an
 * Indexer restored from `<dir>/.bedrock-docs/` (or --cache) and brought up to date.
 */
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { BedrockDocsError } from '../core/errors';
import { Indexer } from '../core/indexer';
import type { SyncProgress, SyncReport } from '../core/indexer';
import type { Logger } from '../core/ports';
import type { SettingKey, Settings } from '../core/settings';
import { indexerTuning } from '../core/settings';
import type { BlurbEstimate } from '../core/ingest/contextualBlurbs';
import { ContextualBlurbs } from '../core/ingest/contextualBlurbs';
import { BedrockClientCache } from '../node/bedrock/bedrockClient';
import type { BedrockServices } from '../node/bedrockServices';
import { createBedrockServices } from '../node/bedrockServices';
import { FileSnapshotStore } from '../node/fileSnapshotStore';
import { createRetrievalStack } from '../node/retrievalStack';
import { WorkspaceSource } from '../node/workspaceSource';
import type { Retriever } from '../core/rag/ask';
import type { RetrievalBackend } from '../core/retrieval/backendRetriever';
import { redactorFromSettings } from '../core/safety/redact';
import { loadWorkspaceSettings } from './workspaceSettings';
import { modelOverridesFromSettings } from '../core/rag/askRequest';
import type { UsageCall } from '../node/usage/usagePricing';
import { priceUsageCall } from '../node/usage/usagePricing';
import { recordCliUsage } from '../node/usage/usageStore';

export const DEFAULT_CACHE_DIR = '.bedrock-docs';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (progress lines are drawn only then). */
  isTty: boolean;
}

export interface SessionFlags {
  dir: string;
  cache?: string;
  verbose?: boolean;
  overrides?: Partial<Record<SettingKey, unknown>>;
  backend?: RetrievalBackend;
  knowledgeBaseId?: string;
}

export interface CliSession {
  dir: string;
  cacheDir: string;
  settings: Settings;
  services: BedrockServices;
  indexer: Indexer;
  /** What questions retrieve from: the local index, a Knowledge Base, or both (settings, flags). */
  retriever: Retriever;
  /** Local redaction applied to everything that leaves the machine. */
  outgoing: (text: string) => string;
  logger: Logger;
  clients: BedrockClientCache;
  dispose(): void;
}

/** A logger to stderr: warnings always, the rest with --verbose. */
export function cliLogger(io: CliIo, verbose: boolean): Logger {
  const line =
    (level: string) =>
    (message: string, ...args: unknown[]) =>
      io.err(
        `[${level}] ${message}${args.length ? ' ' + args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') : ''}\n`,
      );
  const quiet = () => undefined;
  return {
    trace: quiet,
    debug: verbose ? line('debug') : quiet,
    info: verbose ? line('info') : quiet,
    warn: line('warn'),
    error: line('error'),
  };
}

export async function openSession(flags: SessionFlags, io: CliIo): Promise<CliSession> {
  const dir = resolve(flags.dir);
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new BedrockDocsError('BAD_INPUT', `${dir} is not a directory`, 'Pass the folder that holds your docs.');
  const logger = cliLogger(io, !!flags.verbose);
  const { settings, problems, file } = await loadWorkspaceSettings(dir, flags.overrides);
  if (file) logger.info(`settings from ${file}`);
  for (const p of problems) logger.warn(p.message);
  const cacheDir = resolve(dir, flags.cache ?? DEFAULT_CACHE_DIR);
  const clients = new BedrockClientCache();
  const services = await createBedrockServices(settings, {
    clients,
    requestTimeoutMs: settings['request.timeoutMs'],
    maxAttempts: settings['request.maxAttempts'],
  });
  const outgoing = redactorFromSettings(settings).redact;
  const relativeCache = cacheDir.startsWith(dir + '/') ? cacheDir.slice(dir.length + 1) : undefined;
  const source = new WorkspaceSource(dir, settings, relativeCache ? [`${relativeCache}/**`] : []);
  const indexer = new Indexer({
    source,
    store: new FileSnapshotStore(cacheDir, logger),
    embedder: services.embedder,
    embeddingsOffReason: services.embeddingsOffReason,
    ...indexerTuning(settings),
    logger,
    outgoingText: outgoing,
    ...(settings['index.contextualBlurbs.enabled']
      ? {
          blurbs: {
            writer: new ContextualBlurbs({
              chat: services.chat,
              modelId: settings['index.contextualBlurbs.modelId'],
              logger,
              outgoingText: outgoing,
              concurrency: settings['index.contextualBlurbs.concurrency'],
              overrides: modelOverridesFromSettings(settings),
            }),
            // The CLI is not interactive: it says what the blurbs cost before writing them.
            confirm: async (e: BlurbEstimate) => {
              io.err(
                `Contextual blurbs: ${e.calls} model calls over ${e.documents} documents (${e.reused} cached), ${e.usd === null ? 'cost unknown' : `about $${e.usd.toFixed(2)}`} with ${e.modelId}\n`,
              );
              return true;
            },
          },
        }
      : {}),
  });
  const stack = await createRetrievalStack(settings, {
    local: indexer,
    chat: services.chat,
    logger,
    outgoingText: outgoing,
    backend: flags.backend,
    knowledgeBaseId: flags.knowledgeBaseId,
  });
  return {
    dir,
    cacheDir,
    settings,
    services,
    indexer,
    retriever: stack.retriever,
    outgoing,
    logger,
    clients,
    dispose: () => {
      clients.dispose();
      stack.dispose();
    },
  };
}

/** Progress on stderr, redrawn in place on a terminal, silent otherwise. */
export function progressPrinter(io: CliIo): (p: SyncProgress) => void {
  if (!io.isTty) return () => undefined;
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.done !== p.total) return;
    last = now;
    const label = {
      restore: 'Restoring',
      scan: 'Scanning',
      read: 'Reading',
      context: 'Writing context',
      embed: 'Embedding',
      save: 'Saving',
    }[p.phase];
    io.err(`\r\x1b[K${label} ${p.total ? `${p.done}/${p.total}` : ''}${p.path ? ` ${p.path}` : ''}`.slice(0, 200));
  };
}

/** Appends a usage record under the cache dir (`bedrock-docs usage` reads them); never throws. */
export async function recordUsage(session: CliSession, call: UsageCall): Promise<void> {
  await recordCliUsage(session.cacheDir, priceUsageCall(call, modelOverridesFromSettings(session.settings)), session.logger);
}

/** Restores the saved index and brings it up to date; returns the sync report. */
export async function restoreAndSync(session: CliSession, io: CliIo, signal?: AbortSignal): Promise<SyncReport> {
  const onProgress = progressPrinter(io);
  await session.indexer.restore({ signal, onProgress });
  try {
    const report = await session.indexer.sync({ signal, onProgress });
    if (report.embeddingInputTokens > 0) {
      await recordUsage(session, {
        kind: 'indexing',
        modelId: session.settings['embeddings.modelId'],
        embeddingTokens: report.embeddingInputTokens,
        latencyMs: report.durationMs,
      });
    }
    return report;
  } finally {
    if (io.isTty) io.err('\r\x1b[K');
  }
}

/** The one-line notice printed when the index is full-text only though embeddings were wanted. */
export function fullTextNotice(session: CliSession, report: SyncReport): string | undefined {
  if (!session.settings['embeddings.enabled']) return undefined;
  return report.embeddingsOff ? `Full-text only: ${report.embeddingsOff}` : undefined;
}
