import type { IndexSnapshot } from './index/snapshot';

/**
 * The interfaces the core needs from the outside world. Adapters in src/node (AWS SDK, file system)
 * and src/vscode implement them; tests implement them with fakes.
 */

/** Structured log sink. Never pass secrets: adapters do not scrub. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Adds up what the calls made under these options cost (one question's total, say). */
  tally?: UsageTally;
}

/**
 * Why a call to Bedrock is made. Every call to a Bedrock port names one: the usage ledger, the
 * usage report and the budget tell them apart (see core/usage/callMeter.ts).
 */
export const CALL_PURPOSES = [
  'question',
  'followUp',
  'queryExpansion',
  'queryEmbedding',
  'indexEmbedding',
  'contextualBlurb',
  'rerank',
  'knowledgeBase',
  'agentStep',
  'compare',
  'evalAnswer',
  'guardrail',
  'grounding',
] as const;

export type CallPurpose = (typeof CALL_PURPOSES)[number];

/** The options of a call that reaches Bedrock: its purpose is required, so no caller can leave it out. */
export interface MeteredCallOptions extends CallOptions {
  purpose: CallPurpose;
}

/** Collects the usage of the calls made with it (the meter adds to it); one per question or run. */
export interface UsageTally {
  add(entry: { purpose: CallPurpose; modelId: string; usage: TokenUsage; embeddingTokens: number; costUsd: number | null }): void;
}

// ---- Embeddings -----------------------------------------------------------------------------

export type EmbedPurpose = 'document' | 'query';

export interface EmbedResult {
  /** One L2-normalised vector per input text, in input order. */
  vectors: Float32Array[];
  /** Tokens billed for the call (Titan `inputTextTokenCount`; estimated where a model omits it). */
  inputTokens: number;
}

export interface Embedder {
  /** Model id as sent to Bedrock, e.g. `amazon.titan-embed-text-v2:0`. */
  readonly modelId: string;
  readonly dimensions: number;
  /** Largest batch one call accepts (Titan: 1, Cohere: 96). */
  readonly maxBatch: number;
  embed(texts: string[], kind: EmbedPurpose, options: MeteredCallOptions): Promise<EmbedResult>;
}

// ---- Chat (mirrors Bedrock Converse, without depending on the SDK's types) -------------------

export type ContentBlock =
  | { text: string }
  | { cachePoint: { type: 'default' } }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | {
      toolResult: {
        toolUseId: string;
        content: Array<{ text: string } | { json: unknown }>;
        status?: 'success' | 'error';
      };
    };

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the tool's input. */
  inputSchema: Record<string, unknown>;
}

export interface InferenceConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
}

export interface GuardrailConfig {
  guardrailIdentifier: string;
  guardrailVersion: string;
  trace?: 'enabled' | 'disabled' | 'enabled_full';
  streamProcessingMode?: 'sync' | 'async';
}

export interface ChatRequest {
  /** Foundation-model id, inference-profile id or ARN. */
  modelId: string;
  system?: Array<{ text: string } | { cachePoint: { type: 'default' } }>;
  messages: ChatMessage[];
  inferenceConfig?: InferenceConfig;
  additionalModelRequestFields?: Record<string, unknown>;
  tools?: ToolSpec[];
  /** Put a cache point after the tool definitions. */
  cacheTools?: boolean;
  guardrailConfig?: GuardrailConfig;
}

/** Token counts as Bedrock reports them; the four are separate and add up to the total. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export type ChatStreamEvent =
  | { type: 'textDelta'; text: string }
  | { type: 'toolUse'; toolUseId: string; name: string; input: unknown }
  | { type: 'messageStop'; stopReason: string; additionalModelResponseFields?: unknown }
  | { type: 'metadata'; usage: TokenUsage; latencyMs?: number; trace?: unknown };

export interface ChatModel {
  /** Streams one Converse turn. Throws BedrockDocsError; a dropped stream is STREAM_INTERRUPTED. */
  converseStream(request: ChatRequest, options: MeteredCallOptions): AsyncIterable<ChatStreamEvent>;
}

// ---- Documents and persistence --------------------------------------------------------------

/** A file the index may read, as listed by discovery. */
export interface SourceFile {
  /** Relative to the indexed root, '/' separators. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface SourceListing {
  files: SourceFile[];
  /** Files that matched the include globs but cannot be indexed, each with its reason. */
  skipped: Array<{ path: string; reason: string }>;
}

/** Where documents come from: the workspace on disk (src/node), or a fake in tests. */
export interface DocumentSource {
  list(options?: CallOptions): Promise<SourceListing>;
  read(path: string, options?: CallOptions): Promise<Uint8Array>;
}

/** Persists index snapshots; `load` returns undefined when there is none or it is unusable. */
export interface SnapshotStore {
  load(): Promise<IndexSnapshot | undefined>;
  save(snapshot: IndexSnapshot): Promise<void>;
}

// ---- Guardrails ------------------------------------------------------------------------------

/** One text block for ApplyGuardrail; qualifiers mark grounding sources and the query. */
export interface GuardrailContent {
  text: string;
  qualifiers?: Array<'grounding_source' | 'query' | 'guard_content'>;
}

/** ApplyGuardrail's answer, as plain data (the SDK's types stay in src/node). */
export interface GuardrailResponse {
  action: 'NONE' | 'GUARDRAIL_INTERVENED' | string;
  actionReason?: string;
  /** The guardrail's replacement text, when it intervened. */
  outputs: string[];
  /** Bedrock's assessments, read by core/safety/guardrailTrace.ts. */
  assessments: unknown[];
  /** Text units Bedrock billed per policy kind (a text unit is up to 1,000 characters). */
  usage?: Record<string, number>;
}

/** Bedrock's ApplyGuardrail: checks text against a guardrail without a model call. */
export interface GuardrailChecker {
  apply(
    input: { guardrail: GuardrailConfig; source: 'INPUT' | 'OUTPUT'; content: GuardrailContent[] },
    options: MeteredCallOptions,
  ): Promise<GuardrailResponse>;
}
