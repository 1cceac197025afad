/** Builds an AskRequest from the settings table, so the CLI and the extension ask the same way. */
import type { SearchMode } from '../index/hybridIndex';
import type { SearchFilter } from '../index/searchFilter';
import type { ModelOverrides } from '../models/catalog';
import type { GuardrailConfig, InferenceConfig } from '../ports';
import type { Settings } from '../settings';
import type { AskRequest } from './ask';

/** Converse `inferenceConfig` from the chat settings; unset (null/empty) values are not sent. */
export function inferenceFromSettings(settings: Settings): InferenceConfig {
  return {
    maxTokens: settings['chat.maxTokens'],
    ...(settings['chat.temperature'] !== null ? { temperature: settings['chat.temperature'] } : {}),
    ...(settings['chat.topP'] !== null ? { topP: settings['chat.topP'] } : {}),
    ...(settings['chat.stopSequences'].length ? { stopSequences: settings['chat.stopSequences'] } : {}),
  };
}

/** Window and prices for model ids the catalog does not know. */
export function modelOverridesFromSettings(settings: Settings): ModelOverrides {
  return {
    contextWindow: settings['models.contextWindow'],
    maxOutputTokens: settings['models.maxOutputTokens'],
    prices: {
      inputPer1k: settings['models.inputPricePer1k'],
      outputPer1k: settings['models.outputPricePer1k'],
      cacheReadPer1k: settings['models.cacheReadPricePer1k'],
      cacheWritePer1k: settings['models.cacheWritePricePer1k'],
    },
  };
}

/** Converse guardrailConfig from the guardrail settings, or undefined when none is set. */
export function guardrailFromSettings(settings: Settings): GuardrailConfig | undefined {
  const id = settings['guardrail.id'].trim();
  if (!id) return undefined;
  return {
    guardrailIdentifier: id,
    guardrailVersion: settings['guardrail.version'].trim() || 'DRAFT',
    trace: settings['guardrail.trace'],
    streamProcessingMode: settings['guardrail.streamProcessingMode'],
  };
}

export function askRequestFromSettings(
  settings: Settings,
  question: string,
  overrides: { modelId?: string; k?: number; mode?: SearchMode; filter?: SearchFilter } = {},
): AskRequest {
  return {
    question,
    modelId: overrides.modelId ?? settings['chat.modelId'],
    modelOverrides: modelOverridesFromSettings(settings),
    promptCaching: settings['chat.promptCaching'],
    ...(guardrailFromSettings(settings) ? { guardrail: guardrailFromSettings(settings) } : {}),
    inference: inferenceFromSettings(settings),
    samplingTopK: settings['chat.topK'],
    retrieval: {
      k: overrides.k ?? settings['retrieval.topK'],
      mode: overrides.mode ?? settings['retrieval.mode'],
      filter: overrides.filter,
      scoreThreshold: settings['retrieval.scoreThreshold'],
    },
  };
}
