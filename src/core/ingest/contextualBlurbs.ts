/**
 * Contextual chunk blurbs (Anthropic's "contextual retrieval"): at index time a small model reads a
 * document and one of its chunks and writes 50-100 tokens that situate the chunk ("This section of
 * the RDS guide describes the storage limits of SQL Server DB instances"). The blurb is indexed with
 * the chunk, full-text and embedding sides alike, so a chunk that never names its subject can still
 * be found by it. https://www.anthropic.com/news/contextual-retrieval
 *
 * Cost control: the document goes first with a Converse cache point after it, and the chunks of one
 * document are asked one after another, so every chunk after the first reads the document from the
 * prompt cache; blurbs are cached by content hash (document + chunk + model + prompt version), so
 * re-indexing only pays for changed text; `estimateBlurbs` prices a run before it starts.
 */
import type { Chunk } from '../chunk';
import { BedrockDocsError, describeError, isCancellation } from '../errors';
import { contentHash } from '../hash';
import { lookupModel } from '../models/catalog';
import type { ModelOverrides } from '../models/catalog';
import type { CallOptions, ChatModel, ChatRequest, ContentBlock, Logger, TokenUsage } from '../ports';
import { CACHE_MIN_MARGIN } from '../rag/cachePoints';
import { completeText, deterministicInference, isConfigurationError } from '../rag/queryExpansion';
import { estimateTokens } from '../tokens';
import { costOfUsage } from '../usage/cost';

/** Bump when the prompt changes: cached blurbs of older prompts are then regenerated. */
export const BLURB_PROMPT_VERSION = 1;

/** A chunk with the blurb that situates it; the index prepends `context` to what it indexes. */
export type ContextualChunk = Chunk & { context?: string };

/** One document: its chunks in order, and its whole text when the caller has it. */
export interface BlurbFile {
  path: string;
  chunks: readonly Chunk[];
  /** The document as text; default: the chunks' texts joined (what the parser read). */
  text?: string;
}

export const BLURB_SYSTEM_PROMPT = 'You write short search context for passages of technical documentation. Reply with the context only.';

const BLURB_INSTRUCTION =
  'Please give a short succinct context to situate this chunk within the overall document for the purposes of improving search retrieval of the chunk. Answer only with the succinct context and nothing else.';

/** Output tokens asked per blurb (Anthropic: 50-100 tokens of context). */
export const BLURB_MAX_TOKENS = 150;
/** Output tokens a blurb is assumed to take, for estimates. */
export const BLURB_EXPECTED_TOKENS = 90;
/** Documents longer than this (tokens) are split into windows of whole chunks, each its own "document". */
export const DEFAULT_MAX_DOCUMENT_TOKENS = 24_000;
const MAX_BLURB_CHARS = 800;

/**
 * Blurbs by key (blurbKey). A plain Map, so the snapshot can persist it as `[...cache]` and load it
 * with `new Map(rows)`; prune it with `keysOf` before saving.
 */
export type BlurbCache = Map<string, string>;

/** The cache key of a blurb: prompt version, model, document (window) text and chunk text. */
export function blurbKey(modelId: string, documentText: string, chunkText: string): string {
  return contentHash(`v${BLURB_PROMPT_VERSION}\u0000${modelId}\u0000${contentHash(documentText)}\u0000${contentHash(chunkText)}`);
}

/** The text the full-text and embedding sides index for a chunk: its blurb, then its text. */
export function contextualText(chunk: ContextualChunk): string {
  return chunk.context ? `${chunk.context}\n\n${chunk.text}` : chunk.text;
}

/** A part of a document small enough for one prompt, with the chunks it holds. */
export interface DocumentWindow {
  path: string;
  text: string;
  chunks: Chunk[];
}

/**
 * Splits a document into windows of whole consecutive chunks, each at most `maxTokens` (a chunk
 * larger than that is a window of its own). A document that fits is one window with its full text.
 */
export function documentWindows(file: BlurbFile, maxTokens = DEFAULT_MAX_DOCUMENT_TOKENS, estimate = estimateTokens): DocumentWindow[] {
  const joined = (chunks: readonly Chunk[]) => chunks.map((c) => c.text).join('\n\n');
  const whole = file.text ?? joined(file.chunks);
  if (estimate(whole) <= maxTokens) return [{ path: file.path, text: whole, chunks: [...file.chunks] }];
  const windows: DocumentWindow[] = [];
  let current: Chunk[] = [];
  let tokens = 0;
  for (const chunk of file.chunks) {
    const t = estimate(chunk.text) + 1;
    if (current.length > 0 && tokens + t > maxTokens) {
      windows.push({ path: file.path, text: joined(current), chunks: current });
      current = [];
      tokens = 0;
    }
    current.push(chunk);
    tokens += t;
  }
  if (current.length > 0) windows.push({ path: file.path, text: joined(current), chunks: current });
  return windows;
}

/** Settings of a blurb run. */
export interface BlurbOptions {
  /** A small model, e.g. `us.amazon.nova-micro-v1:0` or a Claude Haiku profile id. */
  modelId: string;
  /** Files with fewer chunks get no blurbs: a one-chunk file has nothing to situate (default 2). */
  minChunks?: number;
  maxDocumentTokens?: number;
  /** Catalog overrides for a model the catalog does not know (prices, window). */
  overrides?: ModelOverrides;
  /** Whether to place cache points at all (the prompt-caching setting; default true). */
  caching?: boolean;
}

/** A request for one chunk: the document first, a cache point when it is worth one, then the chunk. */
export function blurbRequest(window: DocumentWindow, chunk: Chunk, options: BlurbOptions): { request: ChatRequest; cached: boolean } {
  const documentBlock = `<document path="${window.path.replace(/"/g, '&quot;')}">\n${window.text}\n</document>`;
  const cached = documentCacheable(documentBlock, options);
  const content: ContentBlock[] = [{ text: documentBlock }];
  if (cached) content.push({ cachePoint: { type: 'default' } });
  content.push({
    text: `Here is the chunk we want to situate within the whole document\n<chunk>\n${chunk.text}\n</chunk>\n${BLURB_INSTRUCTION}`,
  });
  return {
    request: {
      modelId: options.modelId,
      system: [{ text: BLURB_SYSTEM_PROMPT }],
      messages: [{ role: 'user', content }],
      inferenceConfig: deterministicInference(options.modelId, BLURB_MAX_TOKENS),
    },
    cached,
  };
}

// A cache point is placed only where the model caches messages and the prefix reaches its minimum.
function documentCacheable(documentBlock: string, options: BlurbOptions): boolean {
  const caching = lookupModel(options.modelId, options.overrides).caching;
  if (options.caching === false || !caching || !caching.fields.includes('messages') || caching.maxCheckpoints < 1) return false;
  const prefix = estimateTokens(BLURB_SYSTEM_PROMPT) + estimateTokens(documentBlock);
  return prefix >= caching.minTokensPerCheckpoint * CACHE_MIN_MARGIN;
}

/** A blurb as the model wrote it, made safe to index: one paragraph, label removed, bounded. */
export function cleanBlurb(text: string): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:context|succinct context)\s*:\s*/i, '');
  return flat.length > MAX_BLURB_CHARS ? flat.slice(0, MAX_BLURB_CHARS).replace(/\s+\S*$/, '') : flat;
}

/** One chunk that needs a model call, and its cache key. */
interface BlurbJob {
  window: DocumentWindow;
  chunk: Chunk;
  key: string;
}

/** What a run would do and cost: shown to the user before it starts. */
export interface BlurbEstimate {
  modelId: string;
  /** Chunks that get a blurb (cached or not). */
  chunks: number;
  /** Chunks whose blurb is already cached (free). */
  reused: number;
  /** Model calls the run makes. */
  calls: number;
  /** Documents (windows) the calls read. */
  documents: number;
  /** Estimated tokens, split as Bedrock bills them. */
  usage: TokenUsage;
  /** Estimated USD, or null when the model's prices are unknown. */
  usd: number | null;
}

function plan(
  files: readonly BlurbFile[],
  options: BlurbOptions,
  cache: BlurbCache | undefined,
): { jobs: BlurbJob[][]; chunks: number; reused: number } {
  const minChunks = options.minChunks ?? 2;
  const jobs: BlurbJob[][] = [];
  let chunks = 0;
  let reused = 0;
  for (const file of files) {
    if (file.chunks.length < minChunks) continue;
    for (const window of documentWindows(file, options.maxDocumentTokens)) {
      const missing: BlurbJob[] = [];
      for (const chunk of window.chunks) {
        chunks++;
        const key = blurbKey(options.modelId, window.text, chunk.text);
        if (cache?.get(key) !== undefined) reused++;
        else missing.push({ window, chunk, key });
      }
      if (missing.length > 0) jobs.push(missing);
    }
  }
  return { jobs, chunks, reused };
}

/**
 * Prices a run before it starts: per document, the first call writes the document to the prompt
 * cache and later calls read it (when the model caches and the document reaches its minimum);
 * otherwise every call pays for the whole document. Output is BLURB_EXPECTED_TOKENS per blurb.
 */
export function estimateBlurbs(files: readonly BlurbFile[], options: BlurbOptions, cache?: BlurbCache): BlurbEstimate {
  const { jobs, chunks, reused } = plan(files, options, cache);
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
  let calls = 0;
  for (const windowJobs of jobs) {
    windowJobs.forEach((job, i) => {
      const { request, cached } = blurbRequest(job.window, job.chunk, options);
      const blocks = request.messages[0]!.content.filter((b): b is { text: string } => 'text' in b);
      const prefix = estimateTokens(BLURB_SYSTEM_PROMPT) + estimateTokens(blocks[0]!.text);
      const rest = estimateTokens(blocks[1]!.text);
      if (!cached) usage.inputTokens += prefix + rest;
      else {
        usage.inputTokens += rest;
        if (i === 0) usage.cacheWriteInputTokens += prefix;
        else usage.cacheReadInputTokens += prefix;
      }
      usage.outputTokens += BLURB_EXPECTED_TOKENS;
      calls++;
    });
  }
  const prices = lookupModel(options.modelId, options.overrides).prices;
  return { modelId: options.modelId, chunks, reused, calls, documents: jobs.length, usage, usd: costOfUsage(usage, prices) };
}

/** What a run did. */
export interface BlurbReport {
  chunks: number;
  generated: number;
  reused: number;
  /** Calls that failed (transiently): those chunks stay without a blurb and are retried next run. */
  failed: number;
  usage: TokenUsage;
  /** Set when a configuration error stopped the run (access, model id...): the rest were not tried. */
  fatal?: BedrockDocsError;
}

/** The model, the cache and the knobs of ContextualBlurbs. */
export interface ContextualBlurbsOptions extends BlurbOptions {
  chat: ChatModel;
  logger: Logger;
  cache?: BlurbCache;
  /** Documents worked on at once (default 4); the chunks of one document go one after another. */
  concurrency?: number;
}

/** Writes (or reuses) blurbs for the chunks of whole files. */
export class ContextualBlurbs {
  readonly cache: BlurbCache;

  constructor(private readonly options: ContextualBlurbsOptions) {
    this.cache = options.cache ?? new Map();
  }

  /** The model that writes the blurbs. */
  get modelId(): string {
    return this.options.modelId;
  }

  /** The run's estimate against the current cache (see estimateBlurbs). */
  estimate(files: readonly BlurbFile[]): BlurbEstimate {
    return estimateBlurbs(files, this.options, this.cache);
  }

  /**
   * Returns every chunk of `files`, in order, with `context` set where a blurb exists or could be
   * written. Throws only on cancellation; failures are counted in the report.
   */
  async contextualize(
    files: readonly BlurbFile[],
    options: CallOptions & { onProgress?: (done: number, total: number) => void } = {},
  ): Promise<{ chunks: ContextualChunk[]; report: BlurbReport }> {
    const { jobs, chunks, reused } = plan(files, this.options, this.cache);
    const report: BlurbReport = {
      chunks,
      generated: 0,
      reused,
      failed: 0,
      usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    };
    const total = jobs.reduce((n, j) => n + j.length, 0);
    let done = 0;
    const runWindow = async (windowJobs: BlurbJob[]): Promise<void> => {
      for (const job of windowJobs) {
        if (report.fatal) return;
        await this.runJob(job, report, options.signal);
        options.onProgress?.(++done, total);
      }
    };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length && !report.fatal) await runWindow(jobs[next++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.options.concurrency ?? 4, jobs.length)) }, worker));
    return { chunks: this.apply(files), report };
  }

  private async runJob(job: BlurbJob, report: BlurbReport, signal: AbortSignal | undefined): Promise<void> {
    const { request } = blurbRequest(job.window, job.chunk, this.options);
    try {
      const { text, usage } = await completeText(this.options.chat, request, { signal, purpose: 'contextualBlurb' });
      if (usage) {
        for (const k of ['inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens'] as const)
          report.usage[k] += usage[k];
      }
      const blurb = cleanBlurb(text);
      if (blurb === '') {
        report.failed++;
        return;
      }
      this.cache.set(job.key, blurb);
      report.generated++;
    } catch (err) {
      if (isCancellation(err)) throw err;
      // A document too long for the model fails every chunk of every large document alike.
      if (isConfigurationError(err) || (err instanceof BedrockDocsError && err.code === 'CONTEXT_TOO_LONG')) {
        report.fatal ??= err;
        this.options.logger.warn(`contextual blurbs stopped: ${describeError(err)}`);
        return;
      }
      report.failed++;
      this.options.logger.warn(`no blurb for ${job.chunk.id} (retried on the next index run): ${describeError(err)}`);
    }
  }

  /** The chunks of `files` with every cached blurb attached (no model calls). */
  apply(files: readonly BlurbFile[]): ContextualChunk[] {
    const minChunks = this.options.minChunks ?? 2;
    const out: ContextualChunk[] = [];
    for (const file of files) {
      if (file.chunks.length < minChunks) {
        out.push(...file.chunks);
        continue;
      }
      for (const window of documentWindows(file, this.options.maxDocumentTokens)) {
        for (const chunk of window.chunks) {
          const context = this.cache.get(blurbKey(this.options.modelId, window.text, chunk.text));
          out.push(context === undefined ? chunk : { ...chunk, context });
        }
      }
    }
    return out;
  }

  /** Cache keys of the blurbs `files` use: entries not in it belong to text no longer indexed. */
  keysOf(files: readonly BlurbFile[]): Set<string> {
    const keys = new Set<string>();
    for (const window of files.flatMap((f) => documentWindows(f, this.options.maxDocumentTokens))) {
      for (const chunk of window.chunks) keys.add(blurbKey(this.options.modelId, window.text, chunk.text));
    }
    return keys;
  }
}
