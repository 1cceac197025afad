/**
 * Which model ids the fake Bedrock accepts, and how: foundation-model ids, cross-region
 * inference-profile ids and ARNs, with the on-demand rule for models that need a profile.
 */
import { isFakeEmbeddingModel } from './embeddingsFake';
import type { WireError } from './wireErrors';

const PROVIDERS = [
  'amazon',
  'anthropic',
  'meta',
  'mistral',
  'cohere',
  'ai21',
  'deepseek',
  'openai',
  'qwen',
  'writer',
  'twelvelabs',
  'stability',
  'luma',
  'google',
  'minimax',
  'moonshot',
  'nvidia',
];
const GEO_PREFIXES = ['us', 'eu', 'apac', 'global', 'jp', 'au', 'ca', 'us-gov'];
const ARN =
  /^arn:aws(?:-[a-z-]+)?:bedrock:[a-z0-9-]+:(?:\d{12})?:(foundation-model|inference-profile|application-inference-profile|provisioned-model|custom-model-deployment|imported-model)\/(.+)$/;

/** Bare foundation-model ids that Bedrock serves only through an inference profile (2025/26 models). */
export const DEFAULT_PROFILE_ONLY: RegExp[] = [
  /^anthropic\.claude-(?:3-5-sonnet-20241022|3-5-haiku|3-7-sonnet|sonnet-4|opus-4|haiku-4)/,
  /^amazon\.nova-(?:premier|2-)/,
  /^meta\.llama(?:3-2|3-3|4)/,
  /^deepseek\.r1/,
];

/** What an operation may be called on: Converse needs chat, InvokeModel (here) embeddings. */
export type ModelKind = 'chat' | 'embedding';

/** The id a request names, resolved to the foundation model behind it where that is visible. */
export interface ResolvedModel {
  /** As sent (decoded). */
  modelId: string;
  /** Foundation-model id, when the id or ARN shows it (not for application profiles). */
  foundationModel?: string;
  via: 'foundation-model' | 'inference-profile' | 'arn';
}

const invalid = (): { error: WireError } => ({
  error: { type: 'ValidationException', message: 'The provided model identifier is invalid.' },
});

/** Resolves a model id or says which ValidationException Bedrock answers for it. */
export function resolveModel(modelId: string, profileOnly: readonly RegExp[]): ResolvedModel | { error: WireError } {
  const arn = ARN.exec(modelId);
  if (arn) {
    const [, resource, rest] = arn as unknown as [string, string, string];
    if (resource === 'foundation-model') {
      const resolved = resolveModel(rest, profileOnly);
      return 'error' in resolved ? resolved : { ...resolved, modelId, via: 'arn' };
    }
    if (resource === 'inference-profile') {
      const resolved = resolveModel(rest, profileOnly);
      return 'error' in resolved ? resolved : { ...resolved, modelId, via: 'arn' };
    }
    return { modelId, via: 'arn' };
  }
  const parts = modelId.split('.');
  const first = parts[0] ?? '';
  if (GEO_PREFIXES.includes(first) && parts.length >= 3) {
    const inner = parts.slice(1).join('.');
    if (!PROVIDERS.includes(parts[1] ?? '')) return invalid();
    return { modelId, foundationModel: inner, via: 'inference-profile' };
  }
  if (parts.length < 2 || !PROVIDERS.includes(first) || !/^[a-z0-9][a-z0-9.:-]*$/i.test(modelId)) return invalid();
  if (profileOnly.some((re) => re.test(modelId))) {
    return {
      error: {
        type: 'ValidationException',
        // Bedrock's text, curly apostrophe included.
        message: `Invocation of model ID ${modelId} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      },
    };
  }
  return { modelId, foundationModel: modelId, via: 'foundation-model' };
}

/** Chat or embedding, by the foundation model behind the id (application profiles count as chat). */
export function kindOf(model: ResolvedModel): ModelKind {
  const id = model.foundationModel ?? model.modelId;
  return isFakeEmbeddingModel(id) || /embed/.test(id) ? 'embedding' : 'chat';
}
