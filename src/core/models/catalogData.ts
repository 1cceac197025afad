/**
 * The model catalog as data: one entry per Bedrock foundation model, prices in USD per 1,000
 * tokens (us-east-1 on-demand; other Regions can differ). To update: change the entries, keep
 * each family's source comment true, set CATALOG_DATE. A price not checked against AWS's or the
 * vendor's own price list carries `verified: false` and a note saying what is uncertain.
 */
import type { CachingSpec, CatalogEntry, CatalogPrices, ProfilePrefix } from './catalog';

/** The day these figures were last checked (ISO date). */
export const CATALOG_DATE = '2026-11-29';

type ChatFacts = Pick<CatalogEntry, 'id' | 'name' | 'contextWindow' | 'maxOutputTokens' | 'profiles' | 'profileOnly' | 'prices'> &
  Partial<CatalogEntry>;

function chat(defaults: Partial<CatalogEntry>, facts: ChatFacts): CatalogEntry {
  return {
    kind: 'chat',
    toolUse: true,
    systemPrompt: true,
    streaming: true,
    temperature: true,
    topK: null,
    caching: null,
    ...defaults,
    ...facts,
  };
}

function prices(
  inputPer1k: number,
  outputPer1k: number,
  cache?: { read: number; write: number },
  verified = true,
  note?: string,
): CatalogPrices {
  return {
    inputPer1k,
    outputPer1k,
    ...(cache ? { cacheReadPer1k: cache.read, cacheWritePer1k: cache.write } : {}),
    verified,
    ...(note ? { note } : {}),
  };
}

const claudeCache = (minTokensPerCheckpoint: number): CachingSpec => ({
  minTokensPerCheckpoint,
  maxCheckpoints: 4,
  fields: ['system', 'messages', 'tools'],
});
const claude = (facts: ChatFacts): CatalogEntry => chat({ topK: 'top_k' }, facts);

const CLAUDE_45_PROFILES: readonly ProfilePrefix[] = ['us', 'eu', 'apac', 'jp', 'au', 'global'];
const REGIONAL_10 =
  'in-Region and geographic profiles: the global price +10% (AWS: global cross-Region inference "offers approximately 10% savings"); the exact figures match AWS Price List entries quoted by public code';

// Anthropic Claude. Sources, checked 2026-11-29: Anthropic pricing page (platform.claude.com/docs/
// en/about-claude/pricing: base input, 5-minute cache write = 1.25x, cache hit = 0.1x, output);
// AWS prompt-caching guide and Bedrock model cards (minimum tokens per checkpoint, 4 checkpoints,
// system/messages/tools); AWS global cross-Region inference guide (global ~10% below geographic and
// in-Region for Claude 4.5 and later); models.dev amazon-bedrock data (2026-07) for windows,
// outputs and profile lists. Claude 3 Haiku, 3.5 Sonnet and 3.5 Sonnet v2 have no GA prompt
// caching on Bedrock (3.5 Sonnet v2 only for preview customers), so none is assumed.
const ANTHROPIC: CatalogEntry[] = [
  claude({
    id: 'anthropic.claude-3-haiku-20240307-v1:0',
    name: 'Claude 3 Haiku',
    contextWindow: 200_000,
    maxOutputTokens: 4_096,
    profiles: ['us', 'eu', 'apac'],
    profileOnly: false,
    prices: prices(0.00025, 0.00125),
  }),
  claude({
    id: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    name: 'Claude 3.5 Haiku',
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    profiles: ['us'],
    profileOnly: true,
    caching: claudeCache(2_048),
    prices: prices(0.0008, 0.004, { read: 0.00008, write: 0.001 }),
  }),
  claude({
    id: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    name: 'Claude 3.5 Sonnet',
    contextWindow: 200_000,
    maxOutputTokens: 4_096,
    profiles: ['us', 'eu', 'apac'],
    profileOnly: false,
    prices: prices(0.006, 0.03, undefined, false, 'Bedrock extended-access price reported by one source; $0.003/$0.015 before'),
  }),
  claude({
    id: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
    name: 'Claude 3.5 Sonnet v2',
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    profiles: ['us', 'apac'],
    profileOnly: true,
    prices: prices(0.006, 0.03, undefined, false, 'Bedrock extended-access price reported by one source; $0.003/$0.015 before'),
  }),
  // 64k output needs extended thinking on 3.7; Bedrock's plain limit is 8,192.
  claude({
    id: 'anthropic.claude-3-7-sonnet-20250219-v1:0',
    name: 'Claude 3.7 Sonnet',
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    profiles: ['us', 'eu', 'apac'],
    profileOnly: true,
    caching: claudeCache(1_024),
    prices: prices(0.003, 0.015, { read: 0.0003, write: 0.00375 }),
  }),
  // 1M-token context on Sonnet 4 and 4.5 is a beta behind a request flag: budget 200k.
  claude({
    id: 'anthropic.claude-sonnet-4-20250514-v1:0',
    name: 'Claude Sonnet 4',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    profiles: ['us', 'eu', 'apac', 'global'],
    profileOnly: true,
    caching: claudeCache(1_024),
    prices: prices(0.003, 0.015, { read: 0.0003, write: 0.00375 }),
  }),
  claude({
    id: 'anthropic.claude-opus-4-20250514-v1:0',
    name: 'Claude Opus 4',
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    profiles: ['us'],
    profileOnly: true,
    caching: claudeCache(1_024),
    prices: prices(0.015, 0.075, { read: 0.0015, write: 0.01875 }),
  }),
  claude({
    id: 'anthropic.claude-opus-4-1-20250805-v1:0',
    name: 'Claude Opus 4.1',
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    profiles: ['us'],
    profileOnly: true,
    caching: claudeCache(1_024),
    prices: prices(0.015, 0.075, { read: 0.0015, write: 0.01875 }),
  }),
  claude({
    id: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    name: 'Claude Sonnet 4.5',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    profiles: CLAUDE_45_PROFILES,
    profileOnly: true,
    caching: claudeCache(1_024),
    prices: prices(0.0033, 0.0165, { read: 0.00033, write: 0.004125 }, true, REGIONAL_10),
    globalPrices: prices(0.003, 0.015, { read: 0.0003, write: 0.00375 }),
  }),
  claude({
    id: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    name: 'Claude Haiku 4.5',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    profiles: CLAUDE_45_PROFILES,
    profileOnly: true,
    caching: claudeCache(4_096),
    prices: prices(0.0011, 0.0055, { read: 0.00011, write: 0.001375 }, true, REGIONAL_10),
    globalPrices: prices(0.001, 0.005, { read: 0.0001, write: 0.00125 }),
  }),
  claude({
    id: 'anthropic.claude-opus-4-5-20251101-v1:0',
    name: 'Claude Opus 4.5',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    profiles: ['us', 'eu', 'global'],
    profileOnly: true,
    caching: claudeCache(4_096),
    prices: prices(0.0055, 0.0275, { read: 0.00055, write: 0.006875 }, true, REGIONAL_10),
    globalPrices: prices(0.005, 0.025, { read: 0.0005, write: 0.00625 }),
  }),
  // Newer Claude models. Anthropic lists a 1M-token window; 200k is budgeted until 1M on Bedrock
  // without a beta flag is confirmed (a smaller budget only trims earlier, it never fails).
  // Sources disagree on Sonnet 4.6's cache minimum (1,024 on Bedrock vs 2,048 on Anthropic's API):
  // the larger is kept, so a checkpoint is never below either.
  claude({
    id: 'anthropic.claude-sonnet-4-6',
    name: 'Claude Sonnet 4.6',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    profiles: CLAUDE_45_PROFILES,
    profileOnly: true,
    caching: claudeCache(2_048),
    prices: prices(0.0033, 0.0165, { read: 0.00033, write: 0.004125 }, true, REGIONAL_10),
    globalPrices: prices(0.003, 0.015, { read: 0.0003, write: 0.00375 }),
  }),
  claude({
    id: 'anthropic.claude-opus-4-6-v1',
    name: 'Claude Opus 4.6',
    contextWindow: 200_000,
    maxOutputTokens: 128_000,
    profiles: CLAUDE_45_PROFILES,
    profileOnly: true,
    caching: claudeCache(4_096),
    prices: prices(0.0055, 0.0275, { read: 0.00055, write: 0.006875 }, true, REGIONAL_10),
    globalPrices: prices(0.005, 0.025, { read: 0.0005, write: 0.00625 }),
  }),
  // Opus 4.7 and later reject sampling parameters (models.dev: temperature false): send none.
  claude({
    id: 'anthropic.claude-opus-4-7',
    name: 'Claude Opus 4.7',
    contextWindow: 200_000,
    maxOutputTokens: 128_000,
    profiles: CLAUDE_45_PROFILES,
    profileOnly: true,
    caching: claudeCache(4_096),
    temperature: false,
    topK: null,
    prices: prices(0.0055, 0.0275, { read: 0.00055, write: 0.006875 }, true, REGIONAL_10),
    globalPrices: prices(0.005, 0.025, { read: 0.0005, write: 0.00625 }),
  }),
  claude({
    id: 'anthropic.claude-opus-4-8',
    name: 'Claude Opus 4.8',
    contextWindow: 200_000,
    maxOutputTokens: 128_000,
    profiles: CLAUDE_45_PROFILES,
    profileOnly: true,
    caching: claudeCache(1_024),
    temperature: false,
    topK: null,
    prices: prices(
      0.0055,
      0.0275,
      { read: 0.00055, write: 0.006875 },
      false,
      'list price from Anthropic; the Bedrock regional premium and cache minimum are assumed, not checked',
    ),
    globalPrices: prices(
      0.005,
      0.025,
      { read: 0.0005, write: 0.00625 },
      false,
      'list price from Anthropic; not checked on the AWS price list',
    ),
  }),
  claude({
    id: 'anthropic.claude-sonnet-5',
    name: 'Claude Sonnet 5',
    contextWindow: 200_000,
    maxOutputTokens: 128_000,
    profiles: CLAUDE_45_PROFILES,
    profileOnly: true,
    caching: claudeCache(1_024),
    temperature: false,
    topK: null,
    prices: prices(
      0.0022,
      0.011,
      { read: 0.00022, write: 0.00275 },
      false,
      'list price from Anthropic; the Bedrock regional premium and cache minimum are assumed, not checked',
    ),
    globalPrices: prices(
      0.002,
      0.01,
      { read: 0.0002, write: 0.0025 },
      false,
      'list price from Anthropic; not checked on the AWS price list',
    ),
  }),
];

// Amazon Nova. Sources, checked 2026-11-29: AWS Bedrock pricing as quoted by models.dev (2026-07)
// and third-party 2026 guides (input/output and 75%-off cache reads agree); AWS prompt-caching
// guide (1,000 tokens per checkpoint, 4 checkpoints, system and messages only: no tools); AWS
// Converse feature table (system prompts, tool use, streaming). Cache writes are priced at the
// input rate here: no source stated a separate Nova write price. Output limits are the
// conservative 5,000 of Nova v1 (later raised for some models).
const NOVA_CACHE: CachingSpec = { minTokensPerCheckpoint: 1_000, maxCheckpoints: 4, fields: ['system', 'messages'] };
const NOVA_WRITE = 'cache-write price assumed equal to the input price';
const nova = (facts: ChatFacts): CatalogEntry => chat({ topK: 'inferenceConfig.topK', caching: NOVA_CACHE }, facts);

const AMAZON: CatalogEntry[] = [
  nova({
    id: 'amazon.nova-micro-v1:0',
    name: 'Amazon Nova Micro',
    contextWindow: 128_000,
    maxOutputTokens: 5_000,
    profiles: ['us', 'eu', 'apac'],
    profileOnly: false,
    prices: prices(0.000035, 0.00014, { read: 0.00000875, write: 0.000035 }, false, NOVA_WRITE),
  }),
  nova({
    id: 'amazon.nova-lite-v1:0',
    name: 'Amazon Nova Lite',
    contextWindow: 300_000,
    maxOutputTokens: 5_000,
    profiles: ['us', 'eu', 'apac'],
    profileOnly: false,
    prices: prices(0.00006, 0.00024, { read: 0.000015, write: 0.00006 }, false, NOVA_WRITE),
  }),
  nova({
    id: 'amazon.nova-pro-v1:0',
    name: 'Amazon Nova Pro',
    contextWindow: 300_000,
    maxOutputTokens: 5_000,
    profiles: ['us', 'eu', 'apac'],
    profileOnly: false,
    prices: prices(0.0008, 0.0032, { read: 0.0002, write: 0.0008 }, false, NOVA_WRITE),
  }),
  nova({
    id: 'amazon.nova-premier-v1:0',
    name: 'Amazon Nova Premier',
    contextWindow: 1_000_000,
    maxOutputTokens: 10_000,
    profiles: ['us'],
    profileOnly: true,
    prices: prices(0.0025, 0.0125, { read: 0.000625, write: 0.0025 }, false, `cache read assumed 75% off like Nova v1; ${NOVA_WRITE}`),
  }),
  // Nova 2 Lite: window and output are the smaller of the published figures; caching not assumed.
  nova({
    id: 'amazon.nova-2-lite-v1:0',
    name: 'Amazon Nova 2 Lite',
    contextWindow: 128_000,
    maxOutputTokens: 4_096,
    profiles: ['us', 'eu', 'jp', 'global'],
    profileOnly: true,
    caching: null,
    prices: prices(0.00033, 0.00275, undefined, false, 'one source (models.dev)'),
  }),
];

// Meta Llama. Sources, checked 2026-11-29: models.dev amazon-bedrock data (2026-07); third-party
// guides disagree on several prices, so all are unverified. Converse: system prompts yes, tool use
// from Llama 3.1 on (not the 1B/3B text models), no top-k field, no prompt caching. Llama 3.x
// answers are capped at 2,048 tokens (`max_gen_len`).
const LLAMA_NOTE = 'one source (models.dev); third-party guides disagree';
const llama = (facts: ChatFacts): CatalogEntry => chat({}, facts);

const META: CatalogEntry[] = [
  llama({
    id: 'meta.llama3-8b-instruct-v1:0',
    name: 'Llama 3 8B Instruct',
    contextWindow: 8_192,
    maxOutputTokens: 2_048,
    toolUse: false,
    profiles: [],
    profileOnly: false,
    prices: prices(0.0003, 0.0006, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama3-70b-instruct-v1:0',
    name: 'Llama 3 70B Instruct',
    contextWindow: 8_192,
    maxOutputTokens: 2_048,
    toolUse: false,
    profiles: [],
    profileOnly: false,
    prices: prices(0.00265, 0.0035, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama3-1-8b-instruct-v1:0',
    name: 'Llama 3.1 8B Instruct',
    contextWindow: 128_000,
    maxOutputTokens: 2_048,
    profiles: ['us'],
    profileOnly: false,
    prices: prices(0.00022, 0.00022, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama3-1-70b-instruct-v1:0',
    name: 'Llama 3.1 70B Instruct',
    contextWindow: 128_000,
    maxOutputTokens: 2_048,
    profiles: ['us'],
    profileOnly: false,
    prices: prices(0.00072, 0.00072, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama3-1-405b-instruct-v1:0',
    name: 'Llama 3.1 405B Instruct',
    contextWindow: 128_000,
    maxOutputTokens: 2_048,
    profiles: [],
    profileOnly: false,
    prices: prices(0.0024, 0.0024, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama3-2-1b-instruct-v1:0',
    name: 'Llama 3.2 1B Instruct',
    contextWindow: 128_000,
    maxOutputTokens: 2_048,
    toolUse: false,
    profiles: ['us', 'eu'],
    profileOnly: true,
    prices: prices(0.0001, 0.0001, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama3-2-3b-instruct-v1:0',
    name: 'Llama 3.2 3B Instruct',
    contextWindow: 128_000,
    maxOutputTokens: 2_048,
    toolUse: false,
    profiles: ['us', 'eu'],
    profileOnly: true,
    prices: prices(0.00015, 0.00015, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama3-2-11b-instruct-v1:0',
    name: 'Llama 3.2 11B Vision Instruct',
    contextWindow: 128_000,
    maxOutputTokens: 2_048,
    profiles: ['us'],
    profileOnly: true,
    prices: prices(0.00016, 0.00016, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama3-2-90b-instruct-v1:0',
    name: 'Llama 3.2 90B Vision Instruct',
    contextWindow: 128_000,
    maxOutputTokens: 2_048,
    profiles: ['us'],
    profileOnly: true,
    prices: prices(0.00072, 0.00072, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama3-3-70b-instruct-v1:0',
    name: 'Llama 3.3 70B Instruct',
    contextWindow: 128_000,
    maxOutputTokens: 2_048,
    profiles: ['us'],
    profileOnly: true,
    prices: prices(0.00072, 0.00072, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama4-scout-17b-instruct-v1:0',
    name: 'Llama 4 Scout 17B Instruct',
    contextWindow: 3_500_000,
    maxOutputTokens: 8_192,
    profiles: ['us'],
    profileOnly: true,
    prices: prices(0.00017, 0.00066, undefined, false, LLAMA_NOTE),
  }),
  llama({
    id: 'meta.llama4-maverick-17b-instruct-v1:0',
    name: 'Llama 4 Maverick 17B Instruct',
    contextWindow: 1_000_000,
    maxOutputTokens: 8_192,
    profiles: ['us'],
    profileOnly: true,
    prices: prices(0.00024, 0.00097, undefined, false, LLAMA_NOTE),
  }),
];

// Mistral AI. Sources, checked 2026-11-29: models.dev amazon-bedrock data (2026-07) and
// third-party guides (they agree on 7B and Mixtral only). Converse: the Instruct models (7B,
// Mixtral) take no system prompt and no tools; top_k only on the models whose native API has it.
const MISTRAL_NOTE = 'sources disagree or only one source';
const mistral = (facts: ChatFacts): CatalogEntry => chat({}, facts);

const MISTRAL: CatalogEntry[] = [
  mistral({
    id: 'mistral.mistral-7b-instruct-v0:2',
    name: 'Mistral 7B Instruct',
    contextWindow: 32_000,
    maxOutputTokens: 8_192,
    systemPrompt: false,
    toolUse: false,
    topK: 'top_k',
    profiles: [],
    profileOnly: false,
    prices: prices(0.00015, 0.0002),
  }),
  mistral({
    id: 'mistral.mixtral-8x7b-instruct-v0:1',
    name: 'Mixtral 8x7B Instruct',
    contextWindow: 32_000,
    maxOutputTokens: 4_096,
    systemPrompt: false,
    toolUse: false,
    topK: 'top_k',
    profiles: [],
    profileOnly: false,
    prices: prices(0.00045, 0.0007),
  }),
  mistral({
    id: 'mistral.mistral-small-2402-v1:0',
    name: 'Mistral Small (24.02)',
    contextWindow: 32_000,
    maxOutputTokens: 8_192,
    topK: 'top_k',
    profiles: [],
    profileOnly: false,
    prices: prices(0.001, 0.003, undefined, false, MISTRAL_NOTE),
  }),
  mistral({
    id: 'mistral.mistral-large-2402-v1:0',
    name: 'Mistral Large (24.02)',
    contextWindow: 32_000,
    maxOutputTokens: 8_192,
    topK: 'top_k',
    profiles: [],
    profileOnly: false,
    prices: prices(0.004, 0.012, undefined, false, MISTRAL_NOTE),
  }),
  mistral({
    id: 'mistral.mistral-large-2407-v1:0',
    name: 'Mistral Large 2 (24.07)',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    profiles: [],
    profileOnly: false,
    prices: prices(0.002, 0.006, undefined, false, MISTRAL_NOTE),
  }),
  mistral({
    id: 'mistral.pixtral-large-2502-v1:0',
    name: 'Pixtral Large (25.02)',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    profiles: ['us', 'eu'],
    profileOnly: true,
    prices: prices(0.002, 0.006, undefined, false, MISTRAL_NOTE),
  }),
  mistral({
    id: 'mistral.mistral-large-3-675b-instruct',
    name: 'Mistral Large 3',
    contextWindow: 256_000,
    maxOutputTokens: 8_192,
    profiles: [],
    profileOnly: false,
    prices: prices(0.0005, 0.0015, undefined, false, MISTRAL_NOTE),
  }),
];

// Cohere Command. Sources, checked 2026-11-29: AWS Cohere-on-Bedrock page (128k tokens), models.dev
// and third-party guides (Command R agrees; Command R+ is quoted at $3/$15 and $2.50/$10).
// Converse: system prompts and tool use yes; top-k is the native `k` field.
const COHERE: CatalogEntry[] = [
  chat(
    { topK: 'k' },
    {
      id: 'cohere.command-r-v1:0',
      name: 'Cohere Command R',
      contextWindow: 128_000,
      maxOutputTokens: 4_096,
      profiles: [],
      profileOnly: false,
      prices: prices(0.0005, 0.0015),
    },
  ),
  chat(
    { topK: 'k' },
    {
      id: 'cohere.command-r-plus-v1:0',
      name: 'Cohere Command R+',
      contextWindow: 128_000,
      maxOutputTokens: 4_096,
      profiles: [],
      profileOnly: false,
      prices: prices(0.003, 0.015, undefined, false, 'sources disagree ($0.0025/$0.01 also quoted)'),
    },
  ),
];

// Embeddings: priced per 1,000 input tokens; `contextWindow` is the longest text one call takes.
// Sources, checked 2026-11-29: AWS Bedrock pricing as quoted by 2026 guides (Titan V2 $0.00002),
// AWS Cohere-on-Bedrock page (1024 dimensions); Titan V1 and Cohere prices from one source each.
function embedding(id: string, name: string, contextWindow: number, dimensions: readonly number[], price: CatalogPrices): CatalogEntry {
  return {
    id,
    name,
    kind: 'embedding',
    contextWindow,
    maxOutputTokens: 0,
    toolUse: false,
    systemPrompt: false,
    streaming: false,
    temperature: false,
    topK: null,
    caching: null,
    profiles: [],
    profileOnly: false,
    prices: price,
    dimensions,
  };
}

const EMBEDDINGS: CatalogEntry[] = [
  embedding('amazon.titan-embed-text-v2:0', 'Amazon Titan Text Embeddings V2', 8_192, [256, 512, 1024], {
    inputPer1k: 0.00002,
    verified: true,
  }),
  embedding('amazon.titan-embed-text-v1', 'Amazon Titan Embeddings G1 - Text', 8_192, [1536], {
    inputPer1k: 0.0001,
    verified: false,
    note: 'one source',
  }),
  embedding('cohere.embed-english-v3', 'Cohere Embed English v3', 512, [1024], { inputPer1k: 0.0001, verified: false, note: 'one source' }),
  embedding('cohere.embed-multilingual-v3', 'Cohere Embed Multilingual v3', 512, [1024], {
    inputPer1k: 0.0001,
    verified: false,
    note: 'one source',
  }),
  embedding('cohere.embed-v4:0', 'Cohere Embed v4', 128_000, [256, 512, 1024, 1536], {
    inputPer1k: 0.00012,
    verified: false,
    note: 'one source',
  }),
];

// Rerank: priced per query (one question with up to 100 documents; more documents count as more
// queries). Source, checked 2026-12-04: the Amazon Bedrock pricing page's rerank table as quoted by
// AWS's rerank launch post (Amazon Rerank 1.0 $1.00, Cohere Rerank 3.5 $2.00 per 1,000 queries).
function rerank(id: string, name: string, queryPer1k: number): CatalogEntry {
  return {
    ...embedding(id, name, 4_000, [], { queryPer1k, verified: false, note: 'per 1,000 queries; from the launch post' }),
    kind: 'rerank',
    dimensions: undefined,
  };
}

const RERANKERS: CatalogEntry[] = [
  rerank('amazon.rerank-v1:0', 'Amazon Rerank 1.0', 1.0),
  rerank('cohere.rerank-v3-5:0', 'Cohere Rerank 3.5', 2.0),
];

/**
 * ApplyGuardrail: USD per 1,000 text units (a text unit is up to 1,000 characters) for each policy
 * kind the response's `usage` counts. Word filters and regexes are free. Source, checked 2026-12-04:
 * the Bedrock pricing page's Guardrails table after the December 2024 price cut (verified: false).
 */
export const GUARDRAIL_UNIT_PRICES_PER_1K: Readonly<Record<string, number>> = {
  contentPolicyUnits: 0.15,
  topicPolicyUnits: 0.15,
  sensitiveInformationPolicyUnits: 0.1,
  contextualGroundingPolicyUnits: 0.1,
  wordPolicyUnits: 0,
  sensitiveInformationPolicyFreeUnits: 0,
};

/** Every model the catalog knows. */
export const CATALOG: readonly CatalogEntry[] = [...ANTHROPIC, ...AMAZON, ...META, ...MISTRAL, ...COHERE, ...EMBEDDINGS, ...RERANKERS];
