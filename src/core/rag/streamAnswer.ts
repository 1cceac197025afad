/**
 * Streams one answer from the chat model: deltas as they come, the stop reason, the guardrail trace,
 * and the call's usage and cost as the meter recorded them (so an answer cut midway shows the input
 * Bedrock billed, estimated, not $0). A stream that breaks after some text keeps that text and
 * reports the error; any other failure is thrown.
 */
import { BedrockDocsError, isCancellation } from '../errors';
import { CallTally } from '../metering/usageTally';
import type { ModelInfo } from '../models/catalog';
import type { ChatModel, ChatRequest, Logger, MeteredCallOptions, TokenUsage } from '../ports';
import { costOfUsage } from '../usage/cost';

/** What one streamed answer produced. */
export interface StreamedAnswer {
  answer: string;
  usage: TokenUsage;
  /** USD; null when a price is unknown. */
  costUsd: number | null;
  stopReason: string;
  /** Ms from `started` to the first token. */
  firstTokenMs?: number;
  /** The guardrail trace from the metadata event, when a guardrail ran. */
  trace?: unknown;
  /** Set when the stream broke after some text: `answer` is partial. */
  error?: BedrockDocsError;
}

const ZERO: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

/** Streams `request`; `onDelta` sees each text delta. */
export async function streamAnswer(
  chat: ChatModel,
  request: ChatRequest,
  model: ModelInfo,
  deps: { logger: Logger; now: () => number; started: number },
  options: MeteredCallOptions & { onDelta?: (text: string) => void },
): Promise<StreamedAnswer> {
  const { onDelta, ...call } = options;
  // The meter adds this call's record here (and to the caller's tally through it).
  const tally = new CallTally(call.tally);
  let answer = '';
  let reported: TokenUsage | undefined;
  let stopReason = 'unknown';
  let firstTokenMs: number | undefined;
  let trace: unknown;
  let error: BedrockDocsError | undefined;
  try {
    for await (const event of chat.converseStream(request, { ...call, tally })) {
      if (event.type === 'textDelta') {
        firstTokenMs ??= deps.now() - deps.started;
        answer += event.text;
        onDelta?.(event.text);
      } else if (event.type === 'messageStop') {
        stopReason = event.stopReason;
      } else if (event.type === 'metadata') {
        reported = { ...event.usage };
        trace = event.trace;
      }
    }
  } catch (err) {
    if (isCancellation(err) || !(err instanceof BedrockDocsError) || err.code !== 'STREAM_INTERRUPTED' || answer === '') throw err;
    deps.logger.warn(`answer stream interrupted after ${answer.length} characters: ${err.message}`);
    error = err;
    stopReason = 'interrupted';
  }
  const metered = tally.value.calls > 0 ? tally.value : undefined;
  const usage = metered?.usage ?? reported ?? { ...ZERO };
  return {
    answer,
    usage,
    costUsd: metered ? metered.costUsd : costOfUsage(usage, model.prices),
    stopReason,
    ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
    ...(trace !== undefined ? { trace } : {}),
    ...(error ? { error } : {}),
  };
}
