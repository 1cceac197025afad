/**
 * One settings generation of the extension: the Bedrock ports, the workspace source and the
 * Indexer with its snapshot in workspace storage. Rebuilt (and the old one disposed) when a
 * relevant setting changes; the index is restored lazily, on first use.
 */
import * as vscode from 'vscode';
import { Indexer } from '../core/indexer';
import type { SyncProgress, SyncReport } from '../core/indexer';
import type { Logger } from '../core/ports';
import type { Settings } from '../core/settings';
import { indexerTuning } from '../core/settings';
import type { BlurbEstimate } from '../core/ingest/contextualBlurbs';
import { ContextualBlurbs } from '../core/ingest/contextualBlurbs';
import { modelOverridesFromSettings } from '../core/rag/askRequest';
import { BedrockClientCache } from '../node/bedrock/bedrockClient';
import type { BedrockServices } from '../node/bedrockServices';
import { createBedrockServices } from '../node/bedrockServices';
import { FileSnapshotStore } from '../node/fileSnapshotStore';
import { MultiRootSource } from '../node/multiRootSource';
import { createWorkerChunker } from '../node/workerChunker';
import type { RetrievalStack } from '../node/retrievalStack';
import { createRetrievalStack } from '../node/retrievalStack';
import type { Retriever } from '../core/rag/ask';
import { redactorFromSettings } from '../core/safety/redact';
import { WorkspaceSource } from '../node/workspaceSource';
import { readExtensionSettings } from './settingsReader';

export interface SessionContext {
  storageDir: string | undefined;
  logger: Logger;
  apiKey?: string;
  /** dist/ingestWorker.js of the installed extension. */
  ingestWorkerPath: string;
}

/** Asks before contextual blurbs cost money: the estimate names the calls and the price. */
async function confirmBlurbs(e: BlurbEstimate): Promise<boolean> {
  const cost = e.usd === null ? 'at an unknown cost' : `for about $${e.usd.toFixed(2)}`;
  const pick = await vscode.window.showInformationMessage(
    `Bedrock Docs: contextual retrieval will make ${e.calls} calls to ${e.modelId} over ${e.documents} documents ${cost} (${e.reused} blurbs are cached).`,
    { modal: true },
    'Write Blurbs',
  );
  return pick === 'Write Blurbs';
}

export class DocsSession implements vscode.Disposable {
  readonly source: MultiRootSource;
  private readonly clients = new BedrockClientCache();
  private readonly chunker: ReturnType<typeof createWorkerChunker>;
  private restored: Promise<boolean> | undefined;
  private servicesPromise: Promise<BedrockServices> | undefined;
  private indexerPromise: Promise<Indexer> | undefined;
  private lastReport: SyncReport | undefined;
  private retrieverPromise: Promise<RetrievalStack> | undefined;
  /** Local redaction (bedrockDocs.redaction.*) applied to everything that leaves the machine. */
  readonly outgoing: (text: string) => string;

  constructor(
    readonly settings: Settings,
    readonly folders: readonly vscode.WorkspaceFolder[],
    private readonly context: SessionContext,
  ) {
    this.chunker = createWorkerChunker(context.ingestWorkerPath);
    this.outgoing = redactorFromSettings(settings).redact;
    this.source = new MultiRootSource(
      folders.map((f) => ({
        name: f.name,
        root: f.uri.fsPath,
        source: new WorkspaceSource(f.uri.fsPath, readExtensionSettings(f).settings),
      })),
    );
  }

  /** The Bedrock ports (built once per session). */
  services(): Promise<BedrockServices> {
    this.servicesPromise ??= createBedrockServices(this.settings, {
      clients: this.clients,
      apiKey: this.context.apiKey,
      requestTimeoutMs: this.settings['request.timeoutMs'],
      maxAttempts: this.settings['request.maxAttempts'],
    });
    return this.servicesPromise;
  }

  /** The Indexer, restored from the snapshot on first call. */
  async indexer(): Promise<Indexer> {
    this.indexerPromise ??= (async () => {
      const services = await this.services();
      const indexer = new Indexer({
        source: this.source,
        store: this.context.storageDir ? new FileSnapshotStore(this.context.storageDir, this.context.logger) : undefined,
        embedder: services.embedder,
        embeddingsOffReason: services.embeddingsOffReason,
        ...indexerTuning(this.settings),
        chunker: this.chunker.chunk,
        logger: this.context.logger,
        outgoingText: this.outgoing,
        ...(this.settings['index.contextualBlurbs.enabled']
          ? {
              blurbs: {
                writer: new ContextualBlurbs({
                  chat: services.chat,
                  modelId: this.settings['index.contextualBlurbs.modelId'],
                  logger: this.context.logger,
                  outgoingText: this.outgoing,
                  concurrency: this.settings['index.contextualBlurbs.concurrency'],
                  overrides: modelOverridesFromSettings(this.settings),
                }),
                confirm: confirmBlurbs,
              },
            }
          : {}),
      });
      this.restored = indexer.restore();
      await this.restored;
      return indexer;
    })();
    return this.indexerPromise;
  }

  /** What questions retrieve from: the local index, a Knowledge Base, or both, per settings. */
  async retriever(): Promise<Retriever> {
    this.retrieverPromise ??= Promise.all([this.indexer(), this.services()]).then(([local, services]) =>
      createRetrievalStack(this.settings, {
        local,
        chat: services.chat,
        logger: this.context.logger,
        outgoingText: this.outgoing,
        apiKey: this.context.apiKey,
      }),
    );
    return (await this.retrieverPromise).retriever;
  }

  /** Whether a saved index was found and loaded. */
  async wasRestored(): Promise<boolean> {
    await this.indexer();
    return (await this.restored) ?? false;
  }

  async sync(options: { signal?: AbortSignal; onProgress?: (p: SyncProgress) => void } = {}): Promise<SyncReport> {
    const indexer = await this.indexer();
    this.lastReport = await indexer.sync(options);
    return this.lastReport;
  }

  get report(): SyncReport | undefined {
    return this.lastReport;
  }

  /** Turns a path from the index into the file's URI. */
  uriOf(path: string): vscode.Uri | undefined {
    try {
      const { root, relative } = this.source.locate(path);
      return vscode.Uri.joinPath(vscode.Uri.file(root.root), ...relative.split('/'));
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.clients.dispose();
    void this.retrieverPromise?.then(
      (s) => s.dispose(),
      () => undefined,
    );
    this.chunker.dispose();
  }
}
