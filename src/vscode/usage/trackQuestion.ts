/**
 * Wraps one question's model calls with usage accounting: the budget question before the call
 * (when it could cross the monthly budget), the status-bar spinner during it, and a usage record
 * after it, success or failure.
 */
import { BedrockDocsError, isCancellation } from '../../core/errors';
import type { Settings } from '../../core/settings';
import type { TokenUsage } from '../../core/ports';
import { estimateTokens } from '../../core/tokens';
import type { UsageTracker } from './usageTracker';

export interface TrackedResult {
  modelId: string;
  usage: TokenUsage;
  latencyMs: number;
  contextBudget?: { usedTokens: number };
  error?: BedrockDocsError;
}

/** A rough pre-call estimate: the question plus the sources the settings retrieve. */
export function estimatePromptTokens(settings: Settings, question: string): number {
  return estimateTokens(question) + settings['retrieval.topK'] * settings['index.chunkTokens'] + 600;
}

/**
 * Runs `call` under the tracker. Resolves to undefined when the user declined a request that
 * would exceed the budget (the caller then ends the turn as cancelled).
 */
export async function trackQuestion<T extends TrackedResult>(
  tracker: UsageTracker | undefined,
  settings: Settings,
  modelId: string,
  question: string,
  call: () => Promise<T>,
  kind: 'question' | 'compare' | 'eval' = 'question',
): Promise<T | undefined> {
  if (!tracker) return call();
  const estimate = tracker.estimateUsd(modelId, {
    inputTokens: estimatePromptTokens(settings, question),
    maxOutputTokens: settings['chat.maxTokens'],
  });
  if (!(await tracker.confirmBeforeRequest(estimate))) return undefined;
  const started = Date.now();
  tracker.beginRequest();
  try {
    const result = await call();
    await tracker.recordCall({
      kind,
      modelId: result.modelId,
      usage: result.usage,
      latencyMs: result.latencyMs,
      estimatedInputTokens: result.contextBudget?.usedTokens,
      errorCode: result.error?.code,
    });
    return result;
  } catch (err) {
    if (!isCancellation(err))
      await tracker.recordCall({
        kind,
        modelId,
        latencyMs: Date.now() - started,
        errorCode: err instanceof BedrockDocsError ? err.code : 'UNKNOWN',
      });
    throw err;
  } finally {
    tracker.endRequest();
  }
}
