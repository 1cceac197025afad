/**
 * The one builder of the per-settings stack, used by both hosts (the CLI per run, the extension per
 * window): the call meter, the metered Bedrock ports, the Indexer with its snapshot, the retriever,
 * and the pipeline's dependencies. A settings change rebuilds only the parts whose settings changed:
 * the chat model, temperature, guardrail, budget or redaction rebuild nothing (they are read per call);
 * access settings rebuild the clients; retrieval settings the retriever; only the index's own
 * fingerprint (what is indexed and how it is chunked and embedded) drops and restores the index.
 */
import { BedrockDocsError, describeError } from '../core/errors';
import { Indexer } from '../core/indexer';
import type { BlurbEstimate } from '../core/ingest/contextualBlurbs';
import { ContextualBlurbs } from '../core/ingest/contextualBlurbs';
import type { ChunkOptions, DocumentInput } from '../core/ingest/chunkDocument';
import type { Chunk } from '../core/chunk';
import type { CallMeterHost } from '../core/metering/callMeter';
import { CallMeter } from '../core/metering/callMeter';
import type { ChatModel, ChatRequest, DocumentSource, EmbedPurpose, Embedder, Logger, MeteredCallOptions } from '../core/ports';
import type { Retriever } from '../core/rag/ask';
import { modelOverridesFromSettings } from '../core/rag/askRequest';
import type { PipelineDeps } from '../core/rag/questionPipeline';
import type { RetrievalBackend } from '../core/retrieval/backendRetriever';
import type { Redactor } from '../core/safety/redact';
import { redactorFromSettings } from '../core/safety/redact';
import type { Settings } from '../core/settings';
import { indexerTuning } from '../core/settings';
import { BedrockClientCache } from './bedrock/bedrockClient';
import { AgentRuntimeClientCache } from './bedrock/knowledgeBaseClient';
import type { BedrockPorts, RetrievalPorts } from './bedrockPorts';
import { accessOf, createBedrockPorts, createRetrievalPorts } from './bedrockPorts';
import { FileSnapshotStore } from './fileSnapshotStore';
import { createRetriever } from './retrievalStack';

/** What a host brings to the stack. */
export interface DocsStackHost {
  logger: Logger;
  /** Where the index snapshot lives; undefined keeps the index in memory only. */
  storageDir?: string;
  /** The documents for these settings (the CLI: one folder; the extension: every workspace folder). */
  source: (settings: Settings) => DocumentSource;
  /** Parses and chunks one document (the extension uses a worker thread). */
  chunker?: (input: DocumentInput, options: ChunkOptions) => Promise<Chunk[]>;
  /** The ledger, the month's spending and the over-budget consent of this host. */
  meterHost: CallMeterHost;
  /** Asked before contextual blurbs cost money; undefined: go ahead (the CLI prints the estimate). */
  confirmBlurbs?: (estimate: BlurbEstimate) => Promise<boolean>;
  /**
   * The installation's redaction salt (src/node/redactionSalt.ts), loaded before the first call;
   * without one (or when it cannot be read) a random salt per session is used: never unsalted.
   */
  redactionSalt?: () => Promise<Uint8Array>;
  /** Bedrock API key (the extension's SecretStorage); read when the clients are built. */
  apiKey?: () => string | undefined;
  /** Flags that override settings for a run (CLI `--backend`, `--kb-id`). */
  backend?: RetrievalBackend;
  knowledgeBaseId?: string;
  env?: NodeJS.ProcessEnv;
}

/** The settings keys of the index fingerprint: a change to one of them rebuilds the index. */
export const INDEX_FINGERPRINT_KEYS = [
  'index.include',
  'index.exclude',
  'index.respectGitignore',
  'index.maxFileSizeKB',
  'index.chunkTokens',
  'index.chunkOverlapTokens',
  'index.contextualBlurbs.enabled',
  'index.contextualBlurbs.modelId',
  'embeddings.enabled',
  'embeddings.modelId',
  'embeddings.dimensions',
] as const satisfies readonly (keyof Settings)[];

/**
 * What the index is built from. Redaction is not part of it: vectors are keyed on the local text,
 * and the text is redacted on its way out, so changing what is redacted needs no re-embedding.
 */
export function indexFingerprint(settings: Settings): string {
  return JSON.stringify(INDEX_FINGERPRINT_KEYS.map((k) => settings[k]));
}

function accessKey(settings: Settings, apiKey: string | undefined): string {
  // The API key is a secret: only whether it is set, and a change of it, matter here.
  const { apiKey: key, ...rest } = accessOf(settings, apiKey);
  return JSON.stringify([
    rest,
    key ? key.length + key.slice(-4) : '',
    settings['embeddings.enabled'],
    settings['embeddings.modelId'],
    settings['embeddings.dimensions'],
  ]);
}

function retrievalKey(settings: Settings, host: DocsStackHost): string {
  return JSON.stringify(
    (Object.keys(settings) as (keyof Settings)[])
      .filter((k) => k.startsWith('retrieval.') || k.startsWith('knowledgeBase.'))
      .map((k) => [k, settings[k]])
      .concat([
        ['backend', host.backend ?? ''],
        ['kb', host.knowledgeBaseId ?? ''],
      ]),
  );
}

/** The stack of one host session; `update` applies new settings in place. */
export class DocsStack {
  readonly meter: CallMeter;
  private current: Settings;
  private readonly clients = new BedrockClientCache();
  private readonly agentClients = new AgentRuntimeClientCache();
  private portsPromise: Promise<BedrockPorts> | undefined;
  private portsKey = '';
  private indexerPromise: Promise<Indexer> | undefined;
  private indexKey = '';
  private retrieverPromise: Promise<{ retriever: Retriever; ports: RetrievalPorts }> | undefined;
  private retrieverKey = '';
  private redaction: { key: string; redactor: Redactor } | undefined;
  private salt: Uint8Array | undefined;
  private restored: Promise<boolean> | undefined;

  constructor(
    settings: Settings,
    private readonly host: DocsStackHost,
  ) {
    this.current = settings;
    this.meter = new CallMeter({
      host: host.meterHost,
      settings: () => ({ budgetUsd: this.current['usage.monthlyBudgetUsd'], overrides: modelOverridesFromSettings(this.current) }),
      redact: () => this.redactor().redact,
      prepare: () => this.loadSalt(),
    });
  }

  /** The settings in force. */
  get settings(): Settings {
    return this.current;
  }

  /**
   * Applies new settings; returns the parts rebuilt (`clients`, `retriever`, `index`), empty when
   * only per-call settings changed.
   */
  update(settings: Settings): string[] {
    this.current = settings;
    const rebuilt: string[] = [];
    if (this.portsPromise && accessKey(settings, this.host.apiKey?.()) !== this.portsKey) {
      this.portsPromise = undefined;
      rebuilt.push('clients');
    }
    if (this.indexerPromise && this.fingerprint(settings) !== this.indexKey) {
      this.indexerPromise = undefined;
      this.restored = undefined;
      rebuilt.push('index');
    } else if (this.indexerPromise) {
      void this.indexerPromise.then(
        (indexer) => indexer.setTuning(indexerTuning(settings)),
        () => undefined,
      );
    }
    if (this.retrieverPromise && (rebuilt.length > 0 || retrievalKey(settings, this.host) !== this.retrieverKey)) {
      this.retrieverPromise = undefined;
      rebuilt.push('retriever');
    }
    return rebuilt;
  }

  /** The API key changed (SecretStorage): the clients are rebuilt on next use. */
  apiKeyChanged(): void {
    // An index built without an embedder (no credentials then) is rebuilt to gain its vectors.
    if (this.indexerPromise && this.indexKey.endsWith('|0')) {
      this.indexerPromise = undefined;
      this.restored = undefined;
      this.retrieverPromise = undefined;
    }
    if (this.portsPromise) this.update(this.current);
  }

  /** The metered Bedrock ports for the current access settings. */
  ports(): Promise<BedrockPorts> {
    if (!this.portsPromise) {
      this.portsKey = accessKey(this.current, this.host.apiKey?.());
      this.portsPromise = createBedrockPorts(this.current, {
        clients: this.clients,
        meter: this.meter,
        apiKey: this.host.apiKey?.(),
        env: this.host.env,
      });
    }
    return this.portsPromise;
  }

  /** The Indexer for the current index fingerprint, its snapshot restored on first call. */
  indexer(): Promise<Indexer> {
    if (!this.indexerPromise) {
      const settings = this.current;
      const promise = (async () => {
        const ports = await this.ports();
        this.indexKey = this.fingerprint(settings, ports);
        const indexer = new Indexer({
          source: this.host.source(settings),
          store: this.host.storageDir ? new FileSnapshotStore(this.host.storageDir, this.host.logger) : undefined,
          ...(ports.embedder ? { embedder: this.liveEmbedder(ports.embedder) } : {}),
          embeddingsOffReason: ports.embeddingsOffReason,
          ...indexerTuning(settings),
          ...(this.host.chunker ? { chunker: this.host.chunker } : {}),
          logger: this.host.logger,
          ...(settings['index.contextualBlurbs.enabled']
            ? {
                blurbs: {
                  writer: new ContextualBlurbs({
                    chat: this.liveChat(),
                    modelId: settings['index.contextualBlurbs.modelId'],
                    logger: this.host.logger,
                    concurrency: settings['index.contextualBlurbs.concurrency'],
                    overrides: modelOverridesFromSettings(settings),
                  }),
                  ...(this.host.confirmBlurbs ? { confirm: this.host.confirmBlurbs } : {}),
                },
              }
            : {}),
        });
        this.restored = indexer.restore();
        await this.restored;
        return indexer;
      })();
      this.indexerPromise = promise;
      // A failed build is not cached: the next call tries again.
      promise.catch(() => {
        if (this.indexerPromise === promise) this.indexerPromise = undefined;
      });
    }
    return this.indexerPromise;
  }

  /** Whether a saved index was found and loaded. */
  async wasRestored(): Promise<boolean> {
    await this.indexer();
    return (await this.restored) ?? false;
  }

  /** What questions retrieve from: the local index, a Knowledge Base, or both, per settings. */
  async retriever(): Promise<Retriever> {
    return (await this.retrieval()).retriever;
  }

  /** The retriever and the agent-runtime ports it uses (a Knowledge Base's region for source links). */
  retrieval(): Promise<{ retriever: Retriever; ports: RetrievalPorts }> {
    if (!this.retrieverPromise) {
      const settings = this.current;
      this.retrieverKey = retrievalKey(settings, this.host);
      const promise = (async () => {
        const [local, bedrock] = await Promise.all([this.indexer(), this.ports()]);
        const backend = this.host.backend ?? settings['retrieval.backend'];
        const ports = await createRetrievalPorts(
          settings,
          { backend, knowledgeBaseId: this.host.knowledgeBaseId ?? settings['knowledgeBase.id'] },
          { clients: this.agentClients, meter: this.meter, apiKey: this.host.apiKey?.() },
        );
        const retriever = createRetriever(settings, { local, ports, chat: bedrock.chat, logger: this.host.logger, backend });
        return { retriever, ports };
      })();
      this.retrieverPromise = promise;
      promise.catch(() => {
        if (this.retrieverPromise === promise) this.retrieverPromise = undefined;
      });
    }
    return this.retrieverPromise;
  }

  /** Everything the question pipeline needs, for the settings in force. */
  async pipelineDeps(extra: Pick<PipelineDeps, 'agentReader'> = {}): Promise<PipelineDeps> {
    const [ports, retriever, indexer] = await Promise.all([this.ports(), this.retriever(), this.indexer()]);
    const index = indexer.index;
    return {
      settings: this.current,
      retriever,
      chat: ports.chat,
      logger: this.host.logger,
      corpus: () => index.filePaths().flatMap((p) => index.chunksOf(p)),
      ...extra,
    };
  }

  /** Writes the usage summed so far and closes the clients. */
  dispose(): void {
    this.meter.flush();
    this.clients.dispose();
    this.agentClients.dispose();
  }

  private fingerprint(settings: Settings, ports?: BedrockPorts): string {
    // Whether there is an embedder at all decides the index's shape (vectors or full-text only).
    const hasEmbedder = ports ? !!ports.embedder : this.indexKey.endsWith('|1');
    return `${indexFingerprint(settings)}|${hasEmbedder ? 1 : 0}`;
  }

  /**
   * The redactor every outgoing call uses (Preview Redaction shows the same); await `meter.ready()`
   * first so that it has the installation's salt.
   */
  redactor(): Redactor {
    const key = JSON.stringify([Object.entries(this.current).filter(([k]) => k.startsWith('redaction.')), !!this.salt]);
    if (this.redaction?.key !== key) this.redaction = { key, redactor: redactorFromSettings(this.current, this.salt) };
    return this.redaction.redactor;
  }

  private async loadSalt(): Promise<void> {
    if (!this.host.redactionSalt) return;
    try {
      this.salt = await this.host.redactionSalt();
    } catch (err) {
      this.host.logger.warn(`redaction uses a per-session salt: ${describeError(err)}`);
    }
  }

  // The Indexer keeps its embedder across access changes (a new Region, a new key): it calls the
  // current ports' embedder, which is metered like every other.
  private liveEmbedder(initial: Embedder): Embedder {
    return {
      modelId: initial.modelId,
      dimensions: initial.dimensions,
      maxBatch: initial.maxBatch,
      embed: async (texts: string[], kind: EmbedPurpose, options: MeteredCallOptions) => {
        const ports = await this.ports();
        if (!ports.embedder) {
          throw (
            ports.credentialProblem ??
            new BedrockDocsError('BAD_SETTING', `Embeddings are unavailable: ${ports.embeddingsOffReason ?? 'no embedder'}.`)
          );
        }
        return ports.embedder.embed(texts, kind, options);
      },
    };
  }

  private liveChat(): ChatModel {
    const ports = () => this.ports();
    return {
      async *converseStream(request: ChatRequest, options: MeteredCallOptions) {
        yield* (await ports()).chat.converseStream(request, options);
      },
    };
  }
}
