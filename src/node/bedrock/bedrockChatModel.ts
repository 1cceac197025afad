/**
 * ChatModel over Bedrock ConverseStream: maps our ChatRequest to the SDK input and the event
 * stream back to ChatStreamEvents, text deltas as they arrive and tool calls assembled whole.
 */
import type {
  ContentBlock as SdkContentBlock,
  ConverseStreamCommandInput,
  Message as SdkMessage,
  SystemContentBlock,
  Tool,
} from '@aws-sdk/client-bedrock-runtime';
import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { DocumentType } from '@smithy/types';
import { BedrockDocsError } from '../../core/errors';
import type { CallOptions, ChatModel, ChatRequest, ChatStreamEvent, ContentBlock, TokenUsage } from '../../core/ports';
import type { BedrockErrorContext } from './mapBedrockError';
import { mapBedrockError, scrubSecrets } from './mapBedrockError';

function toSdkBlock(block: ContentBlock): SdkContentBlock {
  if ('text' in block) return { text: block.text };
  if ('cachePoint' in block) return { cachePoint: { type: 'default' } };
  if ('toolUse' in block)
    return { toolUse: { toolUseId: block.toolUse.toolUseId, name: block.toolUse.name, input: block.toolUse.input as DocumentType } };
  const { toolUseId, content, status } = block.toolResult;
  return {
    toolResult: {
      toolUseId,
      content: content.map((c) => ('text' in c ? { text: c.text } : { json: c.json as DocumentType })),
      ...(status ? { status } : {}),
    },
  };
}

/** The ConverseStream input for a ChatRequest (exported for tests). */
export function toConverseStreamInput(request: ChatRequest): ConverseStreamCommandInput {
  const input: ConverseStreamCommandInput = {
    modelId: request.modelId,
    messages: request.messages.map((m): SdkMessage => ({ role: m.role, content: m.content.map(toSdkBlock) })),
  };
  if (request.system?.length) {
    input.system = request.system.map((b): SystemContentBlock => ('text' in b ? { text: b.text } : { cachePoint: { type: 'default' } }));
  }
  const ic = request.inferenceConfig;
  if (ic) {
    const cfg: NonNullable<ConverseStreamCommandInput['inferenceConfig']> = {};
    if (ic.maxTokens !== undefined) cfg.maxTokens = ic.maxTokens;
    if (ic.temperature !== undefined) cfg.temperature = ic.temperature;
    if (ic.topP !== undefined) cfg.topP = ic.topP;
    if (ic.stopSequences?.length) cfg.stopSequences = ic.stopSequences;
    if (Object.keys(cfg).length > 0) input.inferenceConfig = cfg;
  }
  if (request.additionalModelRequestFields && Object.keys(request.additionalModelRequestFields).length > 0) {
    input.additionalModelRequestFields = request.additionalModelRequestFields as DocumentType;
  }
  if (request.tools?.length) {
    const tools: Tool[] = request.tools.map((t) => ({
      toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.inputSchema as DocumentType } },
    }));
    if (request.cacheTools) tools.push({ cachePoint: { type: 'default' } });
    input.toolConfig = { tools };
  }
  if (request.guardrailConfig) {
    const g = request.guardrailConfig;
    input.guardrailConfig = {
      guardrailIdentifier: g.guardrailIdentifier,
      guardrailVersion: g.guardrailVersion,
      ...(g.trace ? { trace: g.trace } : {}),
      ...(g.streamProcessingMode ? { streamProcessingMode: g.streamProcessingMode } : {}),
    };
  }
  return input;
}

/** Usage with every count present: Bedrock omits the cache counts when there is no caching. */
function usageOf(
  usage: { inputTokens?: number; outputTokens?: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number } | undefined,
): TokenUsage {
  return {
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cacheReadInputTokens: usage?.cacheReadInputTokens ?? 0,
    cacheWriteInputTokens: usage?.cacheWriteInputTokens ?? 0,
  };
}

// Service exceptions (modeled or not) carry $metadata/$fault; socket and HTTP/2 failures do not.
const isServiceError = (err: unknown) => typeof err === 'object' && err !== null && ('$fault' in err || '$metadata' in err);

/** Streams Converse turns from Bedrock through one client. */
export class BedrockChatModel implements ChatModel {
  /** @param context region/profile/endpoint used to word errors (from BedrockConnection) */
  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly context: BedrockErrorContext = {},
  ) {}

  async *converseStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<ChatStreamEvent> {
    const { signal } = options;
    const context: BedrockErrorContext = { ...this.context, modelId: request.modelId, signal };
    if (signal?.aborted) throw mapBedrockError(signal.reason ?? new Error('aborted'), context);
    // Our own controller also ends the HTTP/2 stream when the consumer stops iterating early.
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      let stream;
      try {
        const response = await this.client.send(new ConverseStreamCommand(toConverseStreamInput(request)), {
          abortSignal: controller.signal,
        });
        stream = response.stream;
      } catch (err) {
        throw mapBedrockError(err, context);
      }
      if (!stream) throw new BedrockDocsError('STREAM_INTERRUPTED', `Bedrock answered ${request.modelId} without a stream.`, 'Ask again.');
      const tools = new Map<number, { toolUseId: string; name: string; json: string }>();
      let stopped = false;
      try {
        for await (const event of stream) {
          // Nothing more is yielded after a cancel, even if the SDK already decoded it.
          if (signal?.aborted) break;
          if (event.contentBlockStart?.start?.toolUse) {
            const { toolUseId = '', name = '' } = event.contentBlockStart.start.toolUse;
            tools.set(event.contentBlockStart.contentBlockIndex ?? 0, { toolUseId, name, json: '' });
          } else if (event.contentBlockDelta) {
            const { delta, contentBlockIndex = 0 } = event.contentBlockDelta;
            if (delta?.text !== undefined) yield { type: 'textDelta', text: delta.text };
            else if (delta?.toolUse?.input !== undefined) {
              const tool = tools.get(contentBlockIndex);
              if (tool) tool.json += delta.toolUse.input;
            }
          } else if (event.contentBlockStop) {
            const index = event.contentBlockStop.contentBlockIndex ?? 0;
            const tool = tools.get(index);
            if (tool) {
              tools.delete(index);
              let input: unknown;
              try {
                input = tool.json.trim() === '' ? {} : JSON.parse(tool.json);
              } catch {
                // A model can emit broken JSON; the caller validates tool input and can report it.
                input = tool.json;
              }
              yield { type: 'toolUse', toolUseId: tool.toolUseId, name: tool.name, input };
            }
          } else if (event.messageStop) {
            stopped = true;
            const { stopReason = 'end_turn', additionalModelResponseFields } = event.messageStop;
            yield additionalModelResponseFields === undefined
              ? { type: 'messageStop', stopReason }
              : { type: 'messageStop', stopReason, additionalModelResponseFields };
          } else if (event.metadata) {
            const { usage, metrics, trace } = event.metadata;
            const out: ChatStreamEvent = { type: 'metadata', usage: usageOf(usage) };
            if (metrics?.latencyMs !== undefined) out.latencyMs = metrics.latencyMs;
            if (trace !== undefined) out.trace = trace;
            yield out;
          }
        }
      } catch (err) {
        if (signal?.aborted) throw mapBedrockError(err, context);
        if (isServiceError(err)) throw mapBedrockError(err, { ...context, midStream: true });
        const detail = scrubSecrets((err as Error | undefined)?.message ?? String(err));
        throw new BedrockDocsError(
          'STREAM_INTERRUPTED',
          `The answer from ${request.modelId} was cut off: ${detail}`,
          'Ask again; if it keeps happening, check the network or proxy.',
          { cause: err },
        );
      }
      // An aborted HTTP/2 stream can end quietly instead of throwing.
      if (signal?.aborted) throw mapBedrockError(signal.reason, context);
      if (!stopped)
        throw new BedrockDocsError(
          'STREAM_INTERRUPTED',
          `The answer from ${request.modelId} ended before it was complete.`,
          'Ask again; if it keeps happening, check the network or proxy.',
        );
      finished = true;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!finished) controller.abort();
    }
  }
}
