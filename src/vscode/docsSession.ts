/**
 * The extension's session: the shared per-settings stack (src/node/docsStack.ts, the same builder
 * the CLI uses) over the workspace folders, with the index snapshot in workspace storage, the
 * worker-thread chunker, the API key from SecretStorage and the usage tracker as the meter's host.
 * A settings change is applied in place (`update`): only what the changed keys touch is rebuilt, so
 * changing the model, the temperature or the guardrail never drops or restores the index.
 */
import * as vscode from 'vscode';
import type { Indexer, SyncProgress, SyncReport } from '../core/indexer';
import type { BlurbEstimate } from '../core/ingest/contextualBlurbs';
import type { CallMeterHost } from '../core/metering/callMeter';
import type { Logger } from '../core/ports';
import type { Retriever } from '../core/rag/ask';
import type { PipelineDeps } from '../core/rag/questionPipeline';
import type { Settings } from '../core/settings';
import type { BedrockPorts } from '../node/bedrockPorts';
import { ConfinedDocReader } from '../node/confinedDocReader';
import { DocsStack } from '../node/docsStack';
import { MultiRootSource } from '../node/multiRootSource';
import { loadOrCreateRedactionSalt } from '../node/redactionSalt';
import { createWorkerChunker } from '../node/workerChunker';
import { WorkspaceSource } from '../node/workspaceSource';
import { readExtensionSettings } from './settingsReader';

export interface SessionContext {
  storageDir: string | undefined;
  logger: Logger;
  /** The Bedrock API key from SecretStorage, read when the clients are built. */
  apiKey: () => string | undefined;
  /** dist/ingestWorker.js of the installed extension. */
  ingestWorkerPath: string;
  /** The usage tracker: the ledger, the budget and its prompt. */
  meterHost: CallMeterHost;
  /** Where the installation's redaction salt is kept (the extension's global storage). */
  saltDir: string;
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
  readonly stack: DocsStack;
  private readonly chunker: ReturnType<typeof createWorkerChunker>;
  private lastReport: SyncReport | undefined;
  private currentSource: MultiRootSource;

  constructor(
    settings: Settings,
    readonly folders: readonly vscode.WorkspaceFolder[],
    context: SessionContext,
  ) {
    this.chunker = createWorkerChunker(context.ingestWorkerPath);
    this.currentSource = this.sourceFor();
    this.stack = new DocsStack(settings, {
      logger: context.logger,
      storageDir: context.storageDir,
      // Each folder reads its own include/exclude (a folder's .vscode/settings.json).
      source: () => (this.currentSource = this.sourceFor()),
      chunker: this.chunker.chunk,
      meterHost: context.meterHost,
      confirmBlurbs,
      apiKey: context.apiKey,
      redactionSalt: () => loadOrCreateRedactionSalt(context.saltDir),
    });
  }

  private sourceFor(): MultiRootSource {
    return new MultiRootSource(
      this.folders.map((f) => ({
        name: f.name,
        root: f.uri.fsPath,
        source: new WorkspaceSource(f.uri.fsPath, readExtensionSettings(f).settings),
      })),
    );
  }

  /** The settings in force. */
  get settings(): Settings {
    return this.stack.settings;
  }

  /** The folders being indexed (for paths and the agent's confined reader). */
  get source(): MultiRootSource {
    return this.currentSource;
  }

  /** Applies new settings; returns the parts rebuilt (empty for per-call settings). */
  update(settings: Settings): string[] {
    return this.stack.update(settings);
  }

  /** The metered Bedrock ports. */
  ports(): Promise<BedrockPorts> {
    return this.stack.ports();
  }

  /** The Indexer, restored from the snapshot on first call. */
  indexer(): Promise<Indexer> {
    return this.stack.indexer();
  }

  /** What questions retrieve from: the local index, a Knowledge Base, or both, per settings. */
  retriever(): Promise<Retriever> {
    return this.stack.retriever();
  }

  /** The question pipeline's dependencies; agent mode reads the workspace folders, confined. */
  async pipelineDeps(): Promise<PipelineDeps> {
    const indexer = await this.indexer();
    const source = this.currentSource;
    return this.stack.pipelineDeps({
      agentReader: () =>
        new ConfinedDocReader({
          roots: source.roots.map((r) => ({ name: source.roots.length > 1 ? r.name : '', root: r.root })),
          allowedPaths: () => indexer.index.filePaths(),
        }),
    });
  }

  /** Whether a saved index was found and loaded. */
  wasRestored(): Promise<boolean> {
    return this.stack.wasRestored();
  }

  async sync(options: { signal?: AbortSignal; onProgress?: (p: SyncProgress) => void } = {}): Promise<SyncReport> {
    const indexer = await this.indexer();
    try {
      this.lastReport = await indexer.sync(options);
      return this.lastReport;
    } finally {
      // An index run's embedding calls are summed in the ledger: write the last sums now.
      this.stack.meter.flush();
    }
  }

  get report(): SyncReport | undefined {
    return this.lastReport;
  }

  /** Turns a path from the index into the file's URI. */
  uriOf(path: string): vscode.Uri | undefined {
    try {
      const { root, relative } = this.currentSource.locate(path);
      return vscode.Uri.joinPath(vscode.Uri.file(root.root), ...relative.split('/'));
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.stack.dispose();
    this.chunker.dispose();
  }
}
