/**
 * The one typed table of `bedrockDocs.*` settings. package.json `contributes.configuration` is
 * generated from it (`npm run sync:settings`) and a unit test fails when the two drift. The
 * extension reads settings through `readSettings` with VS Code's getter; the CLI with the keys of
 * `<dir>/.vscode/settings.json`. Nothing else reads configuration.
 */

import { checkKnowledgeBaseId } from './retrieval/knowledgeBaseId';
import { checkMetadataFilter } from './retrieval/metadataFilter';

export type SettingScope = 'application' | 'machine' | 'machine-overridable' | 'window' | 'resource';

interface BaseDef<T> {
  default: T;
  description: string;
  scope: SettingScope;
  /** In an untrusted workspace the workspace's value is ignored (capabilities.untrustedWorkspaces). */
  restricted?: boolean;
  /** Extra check after the type check; returns a problem sentence or undefined. */
  check?: (value: T) => string | undefined;
  order?: number;
}

export type SettingDef =
  | (BaseDef<string> & { type: 'string'; enum?: readonly string[]; enumDescriptions?: readonly string[] })
  | (BaseDef<number> & { type: 'number' | 'integer'; minimum?: number; maximum?: number; enum?: readonly number[] })
  | (BaseDef<number | null> & { type: 'number-or-null'; minimum?: number; maximum?: number })
  | (BaseDef<boolean> & { type: 'boolean' })
  | (BaseDef<string[]> & { type: 'string-array' });

const DOC_GLOBS = [
  '**/*.md',
  '**/*.markdown',
  '**/*.mdx',
  '**/*.txt',
  '**/*.rst',
  '**/*.adoc',
  '**/*.asciidoc',
  '**/*.html',
  '**/*.htm',
  '**/*.pdf',
];

/** Endpoint overrides must be https, except loopback (a local proxy or a test server). */
export function checkEndpoint(value: string): string | undefined {
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL (expected e.g. https://bedrock-runtime.us-east-1.amazonaws.com)`;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return undefined;
  return `"${value}" must use https:// (plain http is allowed only for 127.0.0.1/localhost)`;
}

export const SETTINGS = {
  'aws.profile': {
    type: 'string',
    default: '',
    scope: 'window',
    restricted: true,
    order: 1,
    description:
      'Named AWS profile from ~/.aws/config or ~/.aws/credentials (SSO profiles included). Empty: the default credential chain (environment, shared files, SSO, container and instance roles).',
  },
  'aws.region': {
    type: 'string',
    default: '',
    scope: 'window',
    restricted: true,
    order: 2,
    description: "AWS Region for Bedrock, e.g. us-east-1. Empty: AWS_REGION, then the profile's region, then us-east-1.",
  },
  'aws.endpoint': {
    type: 'string',
    default: '',
    scope: 'window',
    restricted: true,
    order: 3,
    check: checkEndpoint,
    description:
      'Bedrock Runtime endpoint override, e.g. a VPC interface endpoint. Must be https (http only for loopback). Empty: the standard endpoint, or AWS_ENDPOINT_URL_BEDROCK_RUNTIME when set.',
  },
  'chat.modelId': {
    type: 'string',
    default: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    scope: 'window',
    restricted: true,
    order: 10,
    description:
      'Model that answers: a foundation-model id, a cross-region inference-profile id (us., eu., apac., global.) or an ARN (application inference profile, provisioned throughput).',
  },
  'chat.temperature': {
    type: 'number-or-null',
    default: 0.2,
    minimum: 0,
    maximum: 1,
    scope: 'window',
    order: 11,
    description: "Sampling temperature (0-1). null: the model's default.",
  },
  'chat.topP': {
    type: 'number-or-null',
    default: null,
    minimum: 0,
    maximum: 1,
    scope: 'window',
    order: 12,
    description: 'Nucleus sampling (0-1). null: not sent (some models reject temperature and topP together).',
  },
  'chat.topK': {
    type: 'number-or-null',
    default: null,
    minimum: 1,
    maximum: 500,
    scope: 'window',
    order: 13,
    description:
      'Top-k sampling, sent through additionalModelRequestFields to the model families that accept it (Anthropic, Amazon Nova, Cohere). null: not sent.',
  },
  'chat.maxTokens': {
    type: 'integer',
    default: 2048,
    minimum: 1,
    maximum: 65536,
    scope: 'window',
    order: 14,
    description: 'Maximum tokens in an answer.',
  },
  'chat.stopSequences': {
    type: 'string-array',
    default: [],
    scope: 'window',
    order: 15,
    description: 'Sequences that end an answer.',
  },
  'embeddings.enabled': {
    type: 'boolean',
    default: true,
    scope: 'window',
    order: 20,
    description: 'Embed chunks with Bedrock for semantic search. Off, or without AWS credentials, the index is full-text only.',
  },
  'embeddings.modelId': {
    type: 'string',
    default: 'amazon.titan-embed-text-v2:0',
    scope: 'window',
    restricted: true,
    order: 21,
    enum: ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3', 'cohere.embed-multilingual-v3'],
    enumDescriptions: [
      'Amazon Titan Text Embeddings V2 (256, 512 or 1024 dimensions)',
      'Cohere Embed English v3 (1024 dimensions, batched)',
      'Cohere Embed Multilingual v3 (1024 dimensions, batched)',
    ],
    description: 'Embedding model.',
  },
  'embeddings.dimensions': {
    type: 'integer',
    default: 1024,
    enum: [256, 512, 1024],
    scope: 'window',
    order: 22,
    description: 'Vector size for Titan Text Embeddings V2: 256, 512 or 1024 (Cohere v3 is always 1024). Changing it re-embeds the index.',
  },
  'embeddings.concurrency': {
    type: 'integer',
    default: 4,
    minimum: 1,
    maximum: 32,
    scope: 'window',
    order: 23,
    description: 'Embedding requests in flight at once. Throttling is retried with adaptive backoff.',
  },
  'embeddings.maxRequestsPerSecond': {
    type: 'number-or-null',
    default: null,
    minimum: 1,
    maximum: 10000,
    scope: 'window',
    order: 24,
    description:
      "Embedding requests started per second at most (set it just under your account's quota to avoid throttling); null: as fast as bedrockDocs.embeddings.concurrency and the quota allow.",
  },
  'index.include': {
    type: 'string-array',
    default: DOC_GLOBS,
    scope: 'resource',
    order: 30,
    description: 'Glob patterns (relative to the workspace folder) of the documents to index.',
  },
  'index.exclude': {
    type: 'string-array',
    default: [
      '**/node_modules/**',
      '**/.git/**',
      '**/.bedrock-docs/**',
      '**/dist/**',
      '**/out/**',
      '**/build/**',
      '**/coverage/**',
      '**/.vscode-test/**',
    ],
    scope: 'resource',
    order: 31,
    description: 'Glob patterns of files never indexed, applied after bedrockDocs.index.include.',
  },
  'index.respectGitignore': {
    type: 'boolean',
    default: true,
    scope: 'resource',
    order: 32,
    description: 'Skip files that .gitignore files ignore.',
  },
  'index.maxFileSizeKB': {
    type: 'integer',
    default: 2048,
    minimum: 1,
    maximum: 1048576,
    scope: 'resource',
    order: 33,
    description: 'Files larger than this (KiB) are skipped and reported.',
  },
  'index.chunkTokens': {
    type: 'integer',
    default: 350,
    minimum: 64,
    maximum: 4000,
    scope: 'resource',
    order: 34,
    description: 'Target size of a chunk in tokens. Sections longer than this are split; code blocks are never split mid-block.',
  },
  'index.chunkOverlapTokens': {
    type: 'integer',
    default: 40,
    minimum: 0,
    maximum: 1000,
    scope: 'resource',
    order: 35,
    description: 'Tokens repeated between consecutive chunks of a long section.',
  },
  'index.contextualBlurbs.enabled': {
    type: 'boolean',
    default: false,
    scope: 'window',
    order: 36,
    description:
      'Contextual retrieval: a small model writes 50-100 tokens situating each chunk in its document, indexed and embedded with the chunk (one call per chunk of each changed file, prompt-cached per document; the cost is shown before it runs).',
  },
  'index.contextualBlurbs.modelId': {
    type: 'string',
    default: 'amazon.nova-micro-v1:0',
    scope: 'window',
    restricted: true,
    order: 37,
    description: 'Model that writes the contextual blurbs (small and cheap is best).',
  },
  'index.contextualBlurbs.concurrency': {
    type: 'integer',
    default: 4,
    minimum: 1,
    maximum: 16,
    scope: 'window',
    order: 38,
    description: 'Documents whose blurbs are written at once.',
  },
  'retrieval.mode': {
    type: 'string',
    default: 'hybrid',
    enum: ['hybrid', 'fulltext', 'vector'],
    scope: 'window',
    order: 40,
    enumDescriptions: [
      'Full-text and vector results fused by reciprocal rank (falls back to full-text without embeddings)',
      'Keyword search only (no AWS calls)',
      'Embedding similarity only',
    ],
    description: 'How chunks are retrieved for a question.',
  },
  'retrieval.topK': {
    type: 'integer',
    default: 8,
    minimum: 1,
    maximum: 100,
    scope: 'window',
    order: 41,
    description: 'Chunks retrieved for a question.',
  },
  'retrieval.scoreThreshold': {
    type: 'number',
    default: 0,
    minimum: 0,
    maximum: 1,
    scope: 'window',
    order: 42,
    description: 'Drop hits scoring below this fraction of the best hit (0 keeps all topK).',
  },
  'retrieval.textWeight': {
    type: 'number',
    default: 1,
    minimum: 0,
    maximum: 10,
    scope: 'window',
    order: 43,
    description: 'Weight of the full-text list in hybrid reciprocal rank fusion.',
  },
  'retrieval.vectorWeight': {
    type: 'number',
    default: 1,
    minimum: 0,
    maximum: 10,
    scope: 'window',
    order: 44,
    description: 'Weight of the vector list in hybrid reciprocal rank fusion.',
  },
  'retrieval.backend': {
    type: 'string',
    default: 'local',
    enum: ['local', 'knowledgeBase', 'both'],
    scope: 'window',
    order: 45,
    enumDescriptions: [
      'The local index (Orama, in memory)',
      'An Amazon Bedrock Knowledge Base (bedrockDocs.knowledgeBase.id)',
      'Both, fused by reciprocal rank',
    ],
    description: 'Where chunks are retrieved from.',
  },
  'retrieval.fusionWeights.local': {
    type: 'number',
    default: 1,
    minimum: 0,
    maximum: 10,
    scope: 'window',
    order: 46,
    description: 'With backend "both": weight of the local index in the fusion (0 leaves it out).',
  },
  'retrieval.fusionWeights.knowledgeBase': {
    type: 'number',
    default: 1,
    minimum: 0,
    maximum: 10,
    scope: 'window',
    order: 47,
    description: 'With backend "both": weight of the Knowledge Base in the fusion (0 leaves it out).',
  },
  'retrieval.rerank.enabled': {
    type: 'boolean',
    default: false,
    scope: 'window',
    order: 48,
    description:
      'Rerank the top candidates with a Bedrock rerank model before the context budget is applied (one Rerank call per question).',
  },
  'retrieval.rerank.modelId': {
    type: 'string',
    default: 'cohere.rerank-v3-5:0',
    scope: 'window',
    restricted: true,
    order: 49,
    description: 'Rerank model id or ARN, e.g. cohere.rerank-v3-5:0 or amazon.rerank-v1:0.',
  },
  'retrieval.rerank.topN': {
    type: 'integer',
    default: 20,
    minimum: 2,
    maximum: 100,
    scope: 'window',
    order: 50,
    description: 'Candidates sent to the reranker.',
  },
  'retrieval.queryExpansion.enabled': {
    type: 'boolean',
    default: false,
    scope: 'window',
    order: 51,
    description:
      'Expand each question with a small model into extra search terms, retrieved next to the original and fused by reciprocal rank (one extra model call per new question).',
  },
  'retrieval.queryExpansion.modelId': {
    type: 'string',
    default: 'amazon.nova-micro-v1:0',
    scope: 'window',
    restricted: true,
    order: 52,
    description: 'Model that writes the query expansions (small and cheap is best).',
  },
  'retrieval.queryExpansion.weight': {
    type: 'number',
    default: 0.5,
    minimum: 0,
    maximum: 1,
    scope: 'window',
    order: 53,
    description: 'Fusion weight of each expanded query (the original question weighs 1).',
  },
  'chat.wholeCorpus': {
    type: 'string',
    default: 'off',
    enum: ['off', 'auto', 'always'],
    scope: 'window',
    order: 18,
    enumDescriptions: [
      'Always retrieve',
      "Send the whole corpus (cached) when it fits comfortably in the model's window and the model caches prompts",
      'Send the whole corpus whenever it fits',
    ],
    description:
      'Answer from the whole documentation instead of retrieved chunks when it is small enough; the answer says which mode was used.',
  },
  'chat.wholeCorpusMaxTokens': {
    type: 'integer',
    default: 150000,
    minimum: 1000,
    maximum: 1000000,
    scope: 'window',
    order: 19,
    description: 'Largest corpus (estimated tokens) sent whole.',
  },
  'knowledgeBase.id': {
    type: 'string',
    default: '',
    scope: 'window',
    restricted: true,
    order: 60,
    check: checkKnowledgeBaseId,
    description: 'Amazon Bedrock Knowledge Base id (10 characters), for retrieval.backend knowledgeBase or both.',
  },
  'knowledgeBase.numberOfResults': {
    type: 'integer',
    default: 10,
    minimum: 1,
    maximum: 100,
    scope: 'window',
    order: 61,
    description: 'Results asked of the Knowledge Base per question (at least retrieval.topK).',
  },
  'knowledgeBase.searchType': {
    type: 'string',
    default: 'default',
    enum: ['default', 'HYBRID', 'SEMANTIC'],
    scope: 'window',
    order: 62,
    description: 'Knowledge Base search type; default lets Bedrock choose.',
  },
  'knowledgeBase.filter': {
    type: 'string',
    default: '',
    scope: 'window',
    order: 63,
    check: checkMetadataFilter,
    description: 'Knowledge Base metadata filter as JSON, e.g. {"equals": {"key": "team", "value": "docs"}}.',
  },
  'knowledgeBase.syncedPrefix': {
    type: 'string',
    default: '',
    scope: 'window',
    order: 64,
    description: 'S3 prefix the workspace docs are synced to (e.g. s3://acme-docs/repo/): hits under it open the local file.',
  },
  'chat.promptCaching': {
    type: 'boolean',
    default: true,
    scope: 'window',
    order: 16,
    description:
      'Put Converse cache points after the stable prompt prefix (system prompt, tools, retrieved sources) for models that support prompt caching, so follow-ups are billed at the cache-read price.',
  },
  'chat.historyLimit': {
    type: 'integer',
    default: 50,
    minimum: 1,
    maximum: 1000,
    scope: 'window',
    order: 17,
    description: 'Conversations kept in the chat history of a workspace (oldest dropped first).',
  },
  'models.contextWindow': {
    type: 'number-or-null',
    default: null,
    minimum: 1000,
    scope: 'window',
    order: 70,
    description:
      'Context window (tokens) of a model the catalog does not know (a provisioned-throughput or custom-model ARN). null: 32,000.',
  },
  'models.maxOutputTokens': {
    type: 'number-or-null',
    default: null,
    minimum: 1,
    scope: 'window',
    order: 71,
    description: 'Largest answer (tokens) of a model the catalog does not know. null: 4,096.',
  },
  'models.inputPricePer1k': {
    type: 'number-or-null',
    default: null,
    minimum: 0,
    scope: 'window',
    order: 72,
    description: 'USD per 1,000 input tokens for a model the catalog does not know; null: its cost is shown as unknown.',
  },
  'models.outputPricePer1k': {
    type: 'number-or-null',
    default: null,
    minimum: 0,
    scope: 'window',
    order: 73,
    description: 'USD per 1,000 output tokens for a model the catalog does not know.',
  },
  'models.cacheReadPricePer1k': {
    type: 'number-or-null',
    default: null,
    minimum: 0,
    scope: 'window',
    order: 74,
    description: 'USD per 1,000 cache-read input tokens for a model the catalog does not know.',
  },
  'models.cacheWritePricePer1k': {
    type: 'number-or-null',
    default: null,
    minimum: 0,
    scope: 'window',
    order: 75,
    description: 'USD per 1,000 cache-write input tokens for a model the catalog does not know.',
  },
  'usage.monthlyBudgetUsd': {
    type: 'number-or-null',
    default: null,
    minimum: 0,
    scope: 'application',
    order: 80,
    description: 'Monthly spending limit in USD: a warning at 80 %, a question before a request that would exceed it. null: no budget.',
  },
  'usage.cloudWatch.enabled': {
    type: 'boolean',
    default: false,
    scope: 'window',
    restricted: true,
    order: 81,
    description: 'Publish token usage, latency and errors as CloudWatch custom metrics (PutMetricData, batched) for central monitoring.',
  },
  'usage.cloudWatch.namespace': {
    type: 'string',
    default: 'BedrockDocsAssistant',
    scope: 'window',
    restricted: true,
    order: 82,
    description: 'CloudWatch namespace for the published metrics.',
  },
  'redaction.awsAccessKey': {
    type: 'boolean',
    default: true,
    scope: 'window',
    restricted: true,
    order: 90,
    description: 'Replace AWS access key ids with a placeholder before text leaves the machine (embeddings, prompts, questions).',
  },
  'redaction.awsSecretKey': {
    type: 'boolean',
    default: true,
    scope: 'window',
    restricted: true,
    order: 91,
    description: 'Replace AWS secret access keys with a placeholder before text leaves the machine.',
  },
  'redaction.privateKey': {
    type: 'boolean',
    default: true,
    scope: 'window',
    restricted: true,
    order: 92,
    description: 'Replace PEM private keys with a placeholder before text leaves the machine.',
  },
  'redaction.token': {
    type: 'boolean',
    default: true,
    scope: 'window',
    restricted: true,
    order: 93,
    description:
      'Replace tokens and passwords (GitHub, Slack, JWT, bearer tokens, password= / api_key: assignments) with a placeholder before text leaves the machine.',
  },
  'redaction.email': {
    type: 'boolean',
    default: true,
    scope: 'window',
    restricted: true,
    order: 94,
    description: 'Replace email addresses with a placeholder before text leaves the machine.',
  },
  'redaction.phone': {
    type: 'boolean',
    default: true,
    scope: 'window',
    restricted: true,
    order: 95,
    description: 'Replace phone numbers with a placeholder before text leaves the machine.',
  },
  'redaction.creditCard': {
    type: 'boolean',
    default: true,
    scope: 'window',
    restricted: true,
    order: 96,
    description: 'Replace credit-card numbers (Luhn-checked) with a placeholder before text leaves the machine.',
  },
  'guardrail.id': {
    type: 'string',
    default: '',
    scope: 'window',
    restricted: true,
    order: 100,
    description: 'Amazon Bedrock Guardrail id or ARN applied to every answer (guardrailConfig). Empty: none.',
  },
  'guardrail.version': {
    type: 'string',
    default: 'DRAFT',
    scope: 'window',
    restricted: true,
    order: 101,
    description: 'Guardrail version: a number or DRAFT.',
  },
  'guardrail.trace': {
    type: 'string',
    default: 'enabled',
    enum: ['enabled', 'disabled', 'enabled_full'],
    scope: 'window',
    restricted: true,
    order: 102,
    description: 'Guardrail trace, shown (summarised: which policy) when the guardrail intervenes.',
  },
  'guardrail.streamProcessingMode': {
    type: 'string',
    default: 'sync',
    enum: ['sync', 'async'],
    scope: 'window',
    restricted: true,
    order: 103,
    description: 'sync: the guardrail checks each chunk before it streams; async: faster, checks in the background.',
  },
  'request.timeoutMs': {
    type: 'integer',
    default: 60000,
    minimum: 1000,
    maximum: 900000,
    scope: 'window',
    order: 110,
    description: 'A Bedrock request (or a silent stream) that sends nothing for this long fails with a timeout (retried, then reported).',
  },
  'request.maxAttempts': {
    type: 'integer',
    default: 4,
    minimum: 1,
    maximum: 10,
    scope: 'window',
    order: 111,
    description: 'Attempts per Bedrock request, the first included; throttling and 5xx are retried with adaptive backoff.',
  },
  'agent.maxSteps': {
    type: 'integer',
    default: 8,
    minimum: 1,
    maximum: 50,
    scope: 'window',
    order: 120,
    description: 'Agent mode: most tool calls before the model must answer.',
  },
  'agent.tokenBudget': {
    type: 'integer',
    default: 100000,
    minimum: 1000,
    maximum: 2000000,
    scope: 'window',
    order: 121,
    description: 'Agent mode: input plus output tokens one question may use across its steps.',
  },
} as const satisfies Record<string, SettingDef>;

export type SettingKey = keyof typeof SETTINGS;

type ValueOf<D> = D extends { type: 'string'; enum: readonly (infer E extends string)[] }
  ? E
  : D extends { type: 'string' }
    ? string
    : D extends { type: 'number' | 'integer' }
      ? number
      : D extends { type: 'number-or-null' }
        ? number | null
        : D extends { type: 'boolean' }
          ? boolean
          : D extends { type: 'string-array' }
            ? string[]
            : never;

/** All settings, validated, keyed without the `bedrockDocs.` prefix. */
export type Settings = { -readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

export const SETTINGS_PREFIX = 'bedrockDocs';

export interface SettingsProblem {
  /** Full key, e.g. bedrockDocs.chat.maxTokens */
  key: string;
  message: string;
}

export interface ReadSettingsResult {
  settings: Settings;
  /** One per invalid value; the default was used instead. */
  problems: SettingsProblem[];
}

function checkType(def: SettingDef, value: unknown): string | undefined {
  switch (def.type) {
    case 'string':
      if (typeof value !== 'string') return 'expected a string';
      if (def.enum && !def.enum.includes(value)) return `expected one of ${def.enum.join(', ')}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'string-array':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : 'expected an array of strings';
    case 'number':
    case 'integer':
    case 'number-or-null': {
      if (value === null && def.type === 'number-or-null') return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'expected a number';
      if (def.type === 'integer' && !Number.isInteger(value)) return 'expected a whole number';
      if ('enum' in def && def.enum && !def.enum.includes(value)) return `expected one of ${def.enum.join(', ')}`;
      if (def.minimum !== undefined && value < def.minimum) return `must be at least ${def.minimum}`;
      if (def.maximum !== undefined && value > def.maximum) return `must be at most ${def.maximum}`;
      return undefined;
    }
  }
}

/**
 * Reads every setting through `get` (undefined = not set), validates it, and falls back to the
 * default with a problem that names the key, so one bad value never breaks the rest.
 */
export function readSettings(get: (key: SettingKey) => unknown): ReadSettingsResult {
  const settings: Record<string, unknown> = {};
  const problems: SettingsProblem[] = [];
  for (const [key, def] of Object.entries(SETTINGS) as Array<[SettingKey, SettingDef]>) {
    const raw = get(key);
    if (raw === undefined) {
      settings[key] = structuredClone(def.default);
      continue;
    }
    const typeProblem = checkType(def, raw);
    const problem = typeProblem ?? (def.check as ((v: unknown) => string | undefined) | undefined)?.(raw);
    if (problem) {
      problems.push({
        key: `${SETTINGS_PREFIX}.${key}`,
        message: `${SETTINGS_PREFIX}.${key}: ${problem}; using the default ${JSON.stringify(def.default)}`,
      });
      settings[key] = structuredClone(def.default);
    } else {
      settings[key] = raw;
    }
  }
  return { settings: settings as Settings, problems };
}

/** Defaults only: what a fresh install sees. */
export function defaultSettings(): Settings {
  return readSettings(() => undefined).settings;
}

/** Keys whose workspace value is ignored in an untrusted workspace. */
export function restrictedSettingKeys(): string[] {
  return (Object.entries(SETTINGS) as Array<[SettingKey, SettingDef]>)
    .filter(([, def]) => def.restricted)
    .map(([key]) => `${SETTINGS_PREFIX}.${key}`);
}

/** The package.json `contributes.configuration.properties` this table stands for. */
export function contributedProperties(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, def] of Object.entries(SETTINGS) as Array<[SettingKey, SettingDef]>) {
    const prop: Record<string, unknown> = {};
    switch (def.type) {
      case 'string-array':
        prop.type = 'array';
        prop.items = { type: 'string' };
        break;
      case 'number-or-null':
        prop.type = ['number', 'null'];
        break;
      default:
        prop.type = def.type;
    }
    prop.default = def.default;
    if ('enum' in def && def.enum) prop.enum = [...def.enum];
    if ('enumDescriptions' in def && def.enumDescriptions) prop.enumDescriptions = [...def.enumDescriptions];
    if ('minimum' in def && def.minimum !== undefined) prop.minimum = def.minimum;
    if ('maximum' in def && def.maximum !== undefined) prop.maximum = def.maximum;
    prop.markdownDescription = def.description;
    prop.scope = def.scope;
    if (def.order !== undefined) prop.order = def.order;
    out[`${SETTINGS_PREFIX}.${key}`] = prop;
  }
  return out;
}

/** The README's configuration table (one row per setting), generated like package.json's. */
export function settingsMarkdownTable(): string {
  const rows = (Object.entries(SETTINGS) as Array<[SettingKey, SettingDef]>).map(([key, def]) => {
    const value = JSON.stringify(def.default);
    const shown = value.length > 40 ? `${value.slice(0, 37)}…` : value;
    const note = def.restricted ? ' *(ignored from an untrusted workspace)*' : '';
    return `| \`${SETTINGS_PREFIX}.${key}\` | \`${shown.replace(/\|/g, '\\|')}\` | ${def.description.replace(/\|/g, '\\|')}${note} |`;
  });
  return ['| Setting | Default | What it does |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The index options every surface derives from settings the same way (CLI and extension). */
export function indexerTuning(settings: Settings): {
  embedConcurrency: number;
  embedRatePerSecond?: number;
  fusionWeights: { text: number; vector: number };
  chunking: { chunkTokens: number; overlapTokens: number };
} {
  return {
    embedConcurrency: settings['embeddings.concurrency'],
    ...(settings['embeddings.maxRequestsPerSecond'] !== null ? { embedRatePerSecond: settings['embeddings.maxRequestsPerSecond'] } : {}),
    fusionWeights: { text: settings['retrieval.textWeight'], vector: settings['retrieval.vectorWeight'] },
    chunking: { chunkTokens: settings['index.chunkTokens'], overlapTokens: settings['index.chunkOverlapTokens'] },
  };
}
