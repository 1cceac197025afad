/** Builds an AskRequest from the settings table, so the CLI and the extension ask the same way. */
import type { SearchMode } from '../index/hybridIndex';
import type { SearchFilter } from '../index/searchFilter';
import type { InferenceConfig } from '../ports';
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

export function askRequestFromSettings(
  settings: Settings,
  question: string,
  overrides: { modelId?: string; k?: number; mode?: SearchMode; filter?: SearchFilter } = {},
): AskRequest {
  return {
    question,
    modelId: overrides.modelId ?? settings['chat.modelId'],
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
