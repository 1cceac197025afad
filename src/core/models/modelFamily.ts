/**
 * What a model id says about its family: foundation ids (`anthropic.claude-...`), cross-region
 * inference profiles (`us.`, `eu.`, `apac.`, `global.` ... + foundation id) and ARNs of foundation
 * models or system inference profiles carry it; application inference profiles and provisioned
 * throughput ARNs do not (family 'unknown').
 */

export type ModelFamily =
  'anthropic' | 'amazon-nova' | 'amazon-titan' | 'amazon-rerank' | 'meta' | 'mistral' | 'cohere' | 'deepseek' | 'openai' | 'qwen' | 'ai21' | 'unknown';

const GEO_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca|sa|me|af|mx|il)\./;

/** The foundation-model id inside any id form, or undefined when the form hides it. */
export function baseModelId(modelId: string): string | undefined {
  let id = modelId.trim();
  if (id.startsWith('arn:')) {
    const m = /:(foundation-model|inference-profile)\/(.+)$/.exec(id);
    if (!m) return undefined; // provisioned-model/, application-inference-profile/, custom-model/...
    id = m[2]!;
  }
  return id.replace(GEO_PREFIX, '');
}

export function modelFamily(modelId: string): ModelFamily {
  const base = baseModelId(modelId);
  if (!base) return 'unknown';
  if (base.startsWith('anthropic.')) return 'anthropic';
  if (base.startsWith('amazon.nova')) return 'amazon-nova';
  if (base.startsWith('amazon.titan')) return 'amazon-titan';
  if (base.startsWith('amazon.rerank')) return 'amazon-rerank';
  if (base.startsWith('meta.')) return 'meta';
  if (base.startsWith('mistral.')) return 'mistral';
  if (base.startsWith('cohere.')) return 'cohere';
  if (base.startsWith('deepseek.')) return 'deepseek';
  if (base.startsWith('openai.')) return 'openai';
  if (base.startsWith('qwen.')) return 'qwen';
  if (base.startsWith('ai21.')) return 'ai21';
  return 'unknown';
}
