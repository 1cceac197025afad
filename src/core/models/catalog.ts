/**
 * The model catalog: what a Bedrock model id means for budgeting, caching and cost. `lookupModel`
 * resolves every id form (foundation id, cross-region profile id, foundation-model and system
 * inference-profile ARNs) to a catalog entry; ids the catalog cannot see into (application
 * inference profiles, provisioned throughput, custom models) or does not list yet get conservative
 * defaults, `known: false` and no prices, so the caller can log it and show the cost as unknown.
 * The data lives in catalogData.ts, dated by its CATALOG_DATE.
 */
import { CATALOG } from './catalogData';
import type { ModelFamily } from './modelFamily';
import { modelFamily } from './modelFamily';

/** Cross-region inference-profile prefixes: geographic ones, and `global`. */
export type ProfilePrefix = 'us' | 'eu' | 'apac' | 'jp' | 'au' | 'ca' | 'us-gov' | 'global';

/** Where top-k goes in `additionalModelRequestFields` (Converse has no top-k field of its own). */
export type TopKShape = 'top_k' | 'k' | 'inferenceConfig.topK';

/** Converse fields that accept `cachePoint` blocks. */
export type CacheField = 'system' | 'messages' | 'tools';

/** On-demand prices in USD per 1,000 tokens; an absent price is unknown, never 0. */
export interface PriceTable {
  inputPer1k?: number;
  outputPer1k?: number;
  cacheReadPer1k?: number;
  cacheWritePer1k?: number;
  /** Rerank models: USD per 1,000 queries (a query is one question with up to 100 documents). */
  queryPer1k?: number;
}

/** Catalog prices with their provenance. */
export interface CatalogPrices extends PriceTable {
  /** False when the figures could not be checked against AWS's or the vendor's own price list. */
  verified: boolean;
  /** What is uncertain or derived, when anything is. */
  note?: string;
}

/** Explicit prompt caching as Bedrock documents it for a model. */
export interface CachingSpec {
  /** Tokens each checkpoint must add since the previous one (or the start); fewer are not cached. */
  minTokensPerCheckpoint: number;
  /** Cache points one request may carry. */
  maxCheckpoints: number;
  fields: readonly CacheField[];
}

/** One model as catalogData.ts lists it. */
export interface CatalogEntry {
  /** Foundation-model id, e.g. `anthropic.claude-haiku-4-5-20251001-v1:0`. */
  id: string;
  name: string;
  kind: 'chat' | 'embedding' | 'rerank';
  /** Tokens of input the model accepts (chat: prompt + output must fit; embeddings: per text). */
  contextWindow: number;
  /** Largest `maxTokens` a request may ask for (0 for embeddings). */
  maxOutputTokens: number;
  toolUse: boolean;
  systemPrompt: boolean;
  streaming: boolean;
  /** False for models that reject `temperature` (send none). */
  temperature: boolean;
  topK: TopKShape | null;
  caching: CachingSpec | null;
  /** Cross-region inference profiles known to exist for the model. */
  profiles: readonly ProfilePrefix[];
  /** On-demand calls need a profile id: the bare foundation id fails. */
  profileOnly: boolean;
  /** In-Region and geographic-profile (us., eu., ...) prices. */
  prices: CatalogPrices;
  /** `global.` profile prices where AWS prices them apart (about 10% lower for Claude 4.5 and later). */
  globalPrices?: CatalogPrices;
  /** Embedding models: the vector sizes offered. */
  dimensions?: readonly number[];
}

/** How the id reaches the model. */
export type ModelRoute =
  'foundation-model' | 'geo-profile' | 'global-profile' | 'application-profile' | 'provisioned' | 'custom' | 'unrecognized';

/** Settings-supplied facts for models the catalog does not know (they never change known ones). */
export interface ModelOverrides {
  /** Tokens; null or absent: the conservative default. */
  contextWindow?: number | null;
  /** Tokens; null or absent: the conservative default. */
  maxOutputTokens?: number | null;
  /** USD per 1,000 tokens; a price left out stays unknown. */
  prices?: { [K in keyof PriceTable]?: number | null };
}

/** A resolved model: the catalog's facts, or conservative defaults with `known: false`. */
export interface ModelInfo extends Omit<CatalogEntry, 'id' | 'prices' | 'globalPrices'> {
  /** The id as given. */
  modelId: string;
  /** The foundation-model id behind it, when the id shows it. */
  baseModelId?: string;
  /** False: not in the catalog, so defaults (or overrides) apply and the caller should log it. */
  known: boolean;
  route: ModelRoute;
  /** The profile prefix, for profile ids and profile ARNs. */
  profile?: ProfilePrefix;
  family: ModelFamily;
  /** Prices for this route, or null when unknown (the cost is then shown as unknown). */
  prices: (CatalogPrices & { source: 'catalog' | 'settings' }) | null;
}

/** What an unknown model is assumed to have: small enough to be safe on anything Bedrock serves. */
export const UNKNOWN_MODEL_DEFAULTS = { contextWindow: 32_000, maxOutputTokens: 4_096 } as const;

const PROFILE_PREFIXES: readonly ProfilePrefix[] = ['us', 'eu', 'apac', 'jp', 'au', 'ca', 'us-gov', 'global'];
const ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d*:([a-z-]+)\/(.+)$/;

const BY_ID = new Map(CATALOG.map((e) => [e.id, e]));

/** What an id's form says: its route, profile prefix and foundation-model id. */
export interface ParsedId {
  route: ModelRoute;
  baseModelId?: string;
  profile?: ProfilePrefix;
}

function parseProfileOrFoundation(id: string): ParsedId {
  const dot = id.indexOf('.');
  const head = dot > 0 ? id.slice(0, dot) : '';
  if ((PROFILE_PREFIXES as readonly string[]).includes(head) && id.indexOf('.', dot + 1) > 0) {
    const profile = head as ProfilePrefix;
    return { route: profile === 'global' ? 'global-profile' : 'geo-profile', profile, baseModelId: id.slice(dot + 1) };
  }
  return { route: 'foundation-model', baseModelId: id };
}

/** Splits any model id form into its route, profile prefix and foundation-model id. */
export function parseModelId(modelId: string): ParsedId {
  const id = modelId.trim();
  const arn = ARN.exec(id);
  if (!arn) return id.startsWith('arn:') ? { route: 'unrecognized' } : parseProfileOrFoundation(id);
  const [, resource, rest] = arn as unknown as [string, string, string];
  switch (resource) {
    case 'foundation-model':
      return { route: 'foundation-model', baseModelId: rest };
    case 'inference-profile':
      return parseProfileOrFoundation(rest);
    case 'application-inference-profile':
      return { route: 'application-profile' };
    case 'provisioned-model':
      return { route: 'provisioned' };
    case 'custom-model':
    case 'custom-model-deployment':
    case 'imported-model':
      return { route: 'custom' };
    default:
      return { route: 'unrecognized' };
  }
}

function positive(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function overridePrices(overrides: ModelOverrides | undefined): ModelInfo['prices'] {
  const p = overrides?.prices;
  if (!p) return null;
  const table: PriceTable = {};
  for (const key of ['inputPer1k', 'outputPer1k', 'cacheReadPer1k', 'cacheWritePer1k'] as const) {
    const v = p[key];
    // 0 is a real price here (an internal endpoint may be free); only null/absent is unknown.
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) table[key] = v;
  }
  if (Object.keys(table).length === 0) return null;
  return { ...table, verified: false, note: 'from settings', source: 'settings' };
}

/**
 * Resolves a model id (any form) to what the catalog knows. Unknown ids get
 * UNKNOWN_MODEL_DEFAULTS (or the overrides' window, output and prices), no caching, no top-k, and
 * `known: false`; overrides never change a known model.
 */
export function lookupModel(modelId: string, overrides?: ModelOverrides): ModelInfo {
  const parsed = parseModelId(modelId);
  const entry = parsed.baseModelId ? BY_ID.get(parsed.baseModelId) : undefined;
  const family = parsed.baseModelId ? modelFamily(parsed.baseModelId) : 'unknown';
  if (entry) {
    const { id, prices, globalPrices, ...facts } = entry;
    const routePrices = parsed.route === 'global-profile' && globalPrices ? globalPrices : prices;
    return {
      ...facts,
      modelId,
      baseModelId: id,
      known: true,
      route: parsed.route,
      profile: parsed.profile,
      family,
      prices: { ...routePrices, source: 'catalog' },
    };
  }
  return {
    modelId,
    baseModelId: parsed.baseModelId,
    known: false,
    route: parsed.route,
    profile: parsed.profile,
    family,
    name: modelId,
    kind: parsed.baseModelId && /embed/.test(parsed.baseModelId) ? 'embedding' : 'chat',
    contextWindow: positive(overrides?.contextWindow) ?? UNKNOWN_MODEL_DEFAULTS.contextWindow,
    maxOutputTokens: positive(overrides?.maxOutputTokens) ?? UNKNOWN_MODEL_DEFAULTS.maxOutputTokens,
    toolUse: false,
    systemPrompt: true,
    streaming: true,
    temperature: true,
    topK: null,
    caching: null,
    profiles: [],
    profileOnly: false,
    prices: overridePrices(overrides),
  };
}

/** Every catalog entry, optionally of one kind: for pickers and the catalog's own checks. */
export function catalogEntries(kind?: CatalogEntry['kind']): readonly CatalogEntry[] {
  return kind ? CATALOG.filter((e) => e.kind === kind) : CATALOG;
}

/** The `additionalModelRequestFields` that carry top-k for this model, or undefined when it takes none. */
export function topKFieldsFor(info: Pick<ModelInfo, 'topK'>, topK: number): Record<string, unknown> | undefined {
  switch (info.topK) {
    case 'top_k':
      return { top_k: topK };
    case 'k':
      return { k: topK };
    case 'inferenceConfig.topK':
      return { inferenceConfig: { topK } };
    default:
      return undefined;
  }
}

/** The answer's `maxTokens`: what the settings ask for, capped at what the model allows (tokens). */
export function effectiveMaxTokens(info: Pick<ModelInfo, 'maxOutputTokens'>, requested: number): number {
  return Math.max(1, Math.min(requested, info.maxOutputTokens));
}

/** One log line for a model the catalog does not know, naming the assumptions; undefined for known models. */
export function unknownModelNotice(info: ModelInfo): string | undefined {
  if (info.known) return undefined;
  const why = info.baseModelId ? 'is not in the model catalog' : `is an ${info.route} id that does not show its model`;
  const cost = info.prices ? 'prices from settings' : 'cost unknown';
  return `${info.modelId} ${why}: assuming a ${info.contextWindow}-token window, ${info.maxOutputTokens} output tokens, no prompt caching, no top-k, ${cost}.`;
}
