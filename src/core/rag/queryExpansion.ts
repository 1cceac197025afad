/**
 * Query expansion: a small model rewrites the question into the words the documentation is likely
 * to use (synonyms, product terms, API names) and a few paraphrases. The original query and each
 * variant are retrieved, and the lists are fused by reciprocal rank with the original weighted
 * highest, so expansion can add documents but never replaces what the question itself found.
 * A `Retriever` decorator: it stacks on the Indexer, the BackendRetriever or anything else.
 */
import { BedrockDocsError, describeError, isCancellation } from '../errors';
import type { ErrorCode } from '../errors';
import { reciprocalRankFusion } from '../index/fusion';
import type { SearchHit } from '../index/hybridIndex';
import { lookupModel } from '../models/catalog';
import type { ChatModel, ChatRequest, Logger, MeteredCallOptions, TokenUsage, UsageTally } from '../ports';
import type { Retriever } from './ask';

/** The options every Retriever call takes (the same as Indexer.retrieve's). */
export type RetrieveArgs = Parameters<Retriever['retrieve']>[1];

/** What one expansion produced, for the log, the usage ledger and the UI ("also searched for"). */
export interface QueryExpansion {
  question: string;
  /** Extra queries, in the model's order, the original excluded. Empty when expansion failed. */
  variants: string[];
  /** Tokens the call used; undefined when the answer came from the cache or no call was made. */
  usage?: TokenUsage;
  modelId: string;
  cached: boolean;
}

export interface QueryExpansionOptions {
  chat: ChatModel;
  /** A small, cheap model, e.g. `us.amazon.nova-micro-v1:0` or a Claude Haiku profile id. */
  modelId: string;
  logger: Logger;
  /** Variants used at most (default 3). */
  maxVariants?: number;
  /** RRF weight of each variant's list; the original's is 1 (default EXPANSION_WEIGHT). */
  variantWeight?: number;
  /** Hits taken from each list before fusion, at least k (default 30). */
  depth?: number;
  /** Questions whose expansion is remembered (default 500). */
  cacheSize?: number;
  /** Called after each expansion, cached or not. */
  onExpansion?: (expansion: QueryExpansion) => void;
}

/**
 * Each variant counts half as much as the original: a document first in the original list still
 * beats one first in a single variant's list, but one found by the original and by the variants
 * rises above one only the original found.
 */
export const EXPANSION_WEIGHT = 0.5;

export const EXPANSION_SYSTEM_PROMPT = [
  'You help a search engine find passages in technical documentation.',
  'Given a user question, write up to {n} alternative search queries, one per line:',
  '- first, a line of keywords the documentation itself would likely use for this topic: synonyms, the product or feature names, API, command or setting names, and the formal terms for informal words (for example "limit quota maximum" for "how many");',
  '- then short paraphrases of the question in documentation language.',
  'Do not answer the question. No numbering, no quotes, no explanations: only the queries, one per line.',
].join('\n');

const MAX_VARIANT_CHARS = 300;
const CONFIGURATION: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NO_CREDENTIALS',
  'SSO_EXPIRED',
  'CREDENTIALS_EXPIRED',
  'ACCESS_DENIED',
  'MODEL_NOT_FOUND',
  'MODEL_NEEDS_INFERENCE_PROFILE',
  'BAD_SETTING',
  'VALIDATION',
  'BUDGET_EXCEEDED',
]);

/** True for failures that asking again will not fix (credentials, access, model id): optional levers stop until settings change. */
export function isConfigurationError(err: unknown): err is BedrockDocsError {
  return err instanceof BedrockDocsError && CONFIGURATION.has(err.code);
}

/** One short, non-streamed reply: the text and its usage. Throws what the ChatModel throws. */
export async function completeText(
  chat: ChatModel,
  request: ChatRequest,
  options: MeteredCallOptions,
): Promise<{ text: string; usage?: TokenUsage; stopReason?: string }> {
  let text = '';
  let usage: TokenUsage | undefined;
  let stopReason: string | undefined;
  for await (const event of chat.converseStream(request, options)) {
    if (event.type === 'textDelta') text += event.text;
    else if (event.type === 'metadata') usage = event.usage;
    else if (event.type === 'messageStop') stopReason = event.stopReason;
  }
  return { text, usage, stopReason };
}

/** Deterministic sampling where the model takes it (some newer models reject `temperature`). */
export function deterministicInference(modelId: string, maxTokens: number): ChatRequest['inferenceConfig'] {
  return lookupModel(modelId).temperature ? { maxTokens, temperature: 0 } : { maxTokens };
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The variants in a model's reply: one per line, list markers, numbering, quotes and labels
 * ("Keywords:") stripped, blanks, repeats and copies of the question dropped, at most `max`.
 */
export function parseVariants(reply: string, question: string, max: number): string[] {
  const seen = new Set([normalise(question)]);
  const variants: string[] = [];
  for (const raw of reply.split(/\r?\n/)) {
    const line = raw
      .trim()
      .replace(/^(?:[-*•]+|\d+[.)]|\(\d+\))\s*/, '')
      .replace(/^(?:keywords?|paraphrases?|query|queries)\s*\d*\s*:\s*/i, '')
      .replace(/^["'“”‘’`]+|["'“”‘’`]+$/g, '')
      .trim();
    const key = normalise(line);
    if (key === '' || seen.has(key) || line.length > MAX_VARIANT_CHARS) continue;
    seen.add(key);
    variants.push(line);
    if (variants.length >= max) break;
  }
  return variants;
}

/** Wraps a Retriever: retrieves the question and its model-written variants, fused by RRF. */
export class ExpandingRetriever implements Retriever {
  private readonly cache = new Map<string, Promise<string[]>>();
  private disabled: string | undefined;

  constructor(
    private readonly inner: Retriever,
    private readonly options: QueryExpansionOptions,
  ) {}

  /** Why expansion stopped for this session (a configuration error), or undefined. */
  get disabledReason(): string | undefined {
    return this.disabled;
  }

  async retrieve(query: string, options: RetrieveArgs): Promise<SearchHit[]> {
    const { scoreThreshold, ...rest } = options;
    const depth = Math.max(options.k, this.options.depth ?? 30);
    const original = this.inner.retrieve(query, { ...rest, k: depth });
    // Run the original search while the model answers; a failed original fails the call.
    const [hits, variants] = await Promise.all([original, this.variantsFor(query, options.signal, options.tally)]);
    if (variants.length === 0) return applyThreshold(hits, scoreThreshold).slice(0, options.k);
    const lists = await Promise.all(variants.map((v) => this.inner.retrieve(v, { ...rest, k: depth })));
    const weight = this.options.variantWeight ?? EXPANSION_WEIGHT;
    const fused = reciprocalRankFusion<SearchHit>(
      [{ items: hits, weight: 1 }, ...lists.map((items) => ({ items, weight }))],
      (hit) => hit.chunk.id,
    );
    const merged = fused.map(({ item, score }) => ({ ...item, score }));
    return applyThreshold(merged, scoreThreshold).slice(0, options.k);
  }

  /** The variants for a question: from the cache, else one model call; [] when expansion fails. */
  async variantsFor(question: string, signal?: AbortSignal, tally?: UsageTally): Promise<string[]> {
    const { modelId } = this.options;
    if (this.disabled || question.trim() === '') return [];
    const key = `${modelId}\u0000${question.trim()}`;
    const hit = this.cache.get(key);
    if (hit) {
      // A pending call that fails is reported (and uncached) by the caller that started it.
      const variants = await hit.catch((): string[] => []);
      this.cache.delete(key);
      this.cache.set(key, hit);
      this.options.onExpansion?.({ question, variants, modelId, cached: true });
      return variants;
    }
    const pending = this.expand(question, signal, tally);
    this.cache.set(key, pending);
    while (this.cache.size > (this.options.cacheSize ?? 500)) this.cache.delete(this.cache.keys().next().value as string);
    try {
      return await pending;
    } catch (err) {
      this.cache.delete(key);
      if (isCancellation(err)) throw err;
      if (isConfigurationError(err)) {
        this.disabled = describeError(err);
        this.options.logger.warn(`query expansion is off for this session: ${this.disabled}`);
      } else {
        this.options.logger.warn(`query expansion failed, searching for the question alone: ${describeError(err)}`);
      }
      this.options.onExpansion?.({ question, variants: [], modelId, cached: false });
      return [];
    }
  }

  private async expand(question: string, signal: AbortSignal | undefined, tally: UsageTally | undefined): Promise<string[]> {
    const { chat, modelId } = this.options;
    const max = Math.max(1, this.options.maxVariants ?? 3);
    const { text, usage } = await completeText(
      chat,
      {
        modelId,
        system: [{ text: EXPANSION_SYSTEM_PROMPT.replace('{n}', String(max)) }],
        messages: [{ role: 'user', content: [{ text: `Question: ${question.trim()}` }] }],
        inferenceConfig: deterministicInference(modelId, 200),
      },
      { signal, tally, purpose: 'queryExpansion' },
    );
    const variants = parseVariants(text, question, max);
    this.options.logger.debug(`query expansion (${modelId}): ${variants.length} variants: ${variants.join(' | ')}`);
    this.options.onExpansion?.({ question, variants, usage, modelId, cached: false });
    return variants;
  }
}

function applyThreshold(hits: SearchHit[], threshold: number | undefined): SearchHit[] {
  if (!threshold || threshold <= 0 || hits.length === 0) return hits;
  const floor = hits[0]!.score * threshold;
  return hits.filter((h) => h.score >= floor);
}
