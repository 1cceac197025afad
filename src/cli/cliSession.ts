/**
 * What every CLI command needs: the folder's settings (plus flags) and the per-settings stack
 * (src/node/docsStack.ts, the same builder the extension uses): the metered Bedrock ports, an
 * Indexer restored from `<dir>/.bedrock-docs/` (or --cache) and brought up to date, the retriever.
 * Every Bedrock call a command makes is recorded in `<cache>/usage.jsonl` by the meter, and none is
 * made over the monthly budget unless `--over-budget` is given.
 */
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { BedrockDocsError } from '../core/errors';
import type { Indexer, SyncProgress, SyncReport } from '../core/indexer';
import type { BlurbEstimate } from '../core/ingest/contextualBlurbs';
import type { Logger } from '../core/ports';
import type { PipelineDeps } from '../core/rag/questionPipeline';
import type { Retriever } from '../core/rag/ask';
import type { RetrievalBackend } from '../core/retrieval/backendRetriever';
import type { SettingKey, Settings } from '../core/settings';
import type { BedrockPorts } from '../node/bedrockPorts';
import { ConfinedDocReader } from '../node/confinedDocReader';
import { DocsStack } from '../node/docsStack';
import { loadOrCreateRedactionSalt } from '../node/redactionSalt';
import { LedgerMeterHost } from '../node/usage/ledgerMeterHost';
import { userConfigDir } from '../node/userDirs';
import { cliUsagePath, UsageStore } from '../node/usage/usageStore';
import { WorkspaceSource } from '../node/workspaceSource';
import { loadWorkspaceSettings } from './workspaceSettings';

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
  /** Calls may go over `usage.monthlyBudgetUsd` (`--over-budget`). */
  overBudget?: boolean;
}

export interface CliSession {
  dir: string;
  cacheDir: string;
  settings: Settings;
  stack: DocsStack;
  ports: BedrockPorts;
  indexer: Indexer;
  /** What questions retrieve from: the local index, a Knowledge Base, or both (settings, flags). */
  retriever: Retriever;
  logger: Logger;
  /** The question pipeline's dependencies (agent mode reads the folder, confined). */
  pipeline(): Promise<PipelineDeps>;
  /** Writes the usage not written yet; call before exiting. */
  close(): Promise<void>;
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
  const budget = settings['usage.monthlyBudgetUsd'];
  // Over the budget, each refused call says so where it fails (one line naming the setting).
  const meterHost = await LedgerMeterHost.open(new UsageStore(cliUsagePath(cacheDir)), {
    logger,
    budgetSet: budget !== null && budget > 0,
    allowOverBudget: !!flags.overBudget,
  });
  const relativeCache = cacheDir.startsWith(dir + '/') ? cacheDir.slice(dir.length + 1) : undefined;
  const stack = new DocsStack(settings, {
    logger,
    storageDir: cacheDir,
    source: (s) => new WorkspaceSource(dir, s, relativeCache ? [`${relativeCache}/**`] : []),
    meterHost,
    redactionSalt: () => loadOrCreateRedactionSalt(userConfigDir()),
    // The CLI is not interactive: it says what the blurbs cost before writing them.
    confirmBlurbs: async (e: BlurbEstimate) => {
      io.err(
        `Contextual blurbs: ${e.calls} model calls over ${e.documents} documents (${e.reused} cached), ${e.usd === null ? 'cost unknown' : `about $${e.usd.toFixed(2)}`} with ${e.modelId}\n`,
      );
      return true;
    },
    ...(flags.backend ? { backend: flags.backend } : {}),
    ...(flags.knowledgeBaseId ? { knowledgeBaseId: flags.knowledgeBaseId } : {}),
  });
  const [ports, indexer, retriever] = await Promise.all([stack.ports(), stack.indexer(), stack.retriever()]);
  return {
    dir,
    cacheDir,
    settings,
    stack,
    ports,
    indexer,
    retriever,
    logger,
    pipeline: () =>
      stack.pipelineDeps({
        agentReader: () => new ConfinedDocReader({ roots: [{ name: '', root: dir }], allowedPaths: () => indexer.index.filePaths() }),
      }),
    close: async () => {
      stack.meter.flush();
      await meterHost.flushed();
    },
    dispose: () => stack.dispose(),
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

/** Brings the restored index up to date; returns the sync report. */
export async function restoreAndSync(session: CliSession, io: CliIo, signal?: AbortSignal): Promise<SyncReport> {
  const onProgress = progressPrinter(io);
  try {
    return await session.indexer.sync({ signal, onProgress });
  } finally {
    if (io.isTty) io.err('\r\x1b[K');
  }
}

/** The one-line notice printed when the index is full-text only though embeddings were wanted. */
export function fullTextNotice(session: CliSession, report: SyncReport): string | undefined {
  if (!session.settings['embeddings.enabled']) return undefined;
  return report.embeddingsOff ? `Full-text only: ${report.embeddingsOff}` : undefined;
}

/**
 * Opens a session, brings the index up to date, runs `run`, then writes the usage and closes: every
 * command's frame, so none forgets the ledger or the clients.
 */
export async function withSession(
  flags: SessionFlags,
  io: CliIo,
  signal: AbortSignal | undefined,
  run: (session: CliSession, report: SyncReport) => Promise<number>,
): Promise<number> {
  const session = await openSession(flags, io);
  try {
    const report = await restoreAndSync(session, io, signal);
    return await run(session, report);
  } finally {
    await session.close();
    session.dispose();
  }
}
