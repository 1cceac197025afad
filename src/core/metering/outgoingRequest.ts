/**
 * What leaves the machine in a Converse request: every text (system prompt, messages, tool results
 * and the tool inputs the model chose earlier) passed through the redactor, and a local estimate of
 * its input tokens (for the budget check and for calls Bedrock never reported usage for).
 */
import type { ChatRequest, ContentBlock } from '../ports';
import { estimateTokens } from '../tokens';

type Redact = (text: string) => string;

/** Every string inside a JSON value redacted (tool inputs and JSON tool results); keys are kept. */
export function redactJson(value: unknown, redact: Redact): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, redact));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactJson(v, redact)]));
  }
  return value;
}

function redactBlock(block: ContentBlock, redact: Redact): ContentBlock {
  if ('text' in block) return { text: redact(block.text) };
  if ('toolUse' in block) return { toolUse: { ...block.toolUse, input: redactJson(block.toolUse.input, redact) } };
  if ('toolResult' in block) {
    return {
      toolResult: {
        ...block.toolResult,
        content: block.toolResult.content.map((c) => ('text' in c ? { text: redact(c.text) } : { json: redactJson(c.json, redact) })),
      },
    };
  }
  return block;
}

/** The request as it may leave the machine: every text redacted, nothing else changed. */
export function redactChatRequest(request: ChatRequest, redact: Redact): ChatRequest {
  return {
    ...request,
    ...(request.system ? { system: request.system.map((b) => ('text' in b ? { text: redact(b.text) } : b)) } : {}),
    messages: request.messages.map((m) => ({ role: m.role, content: m.content.map((b) => redactBlock(b, redact)) })),
  };
}

/** Estimated input tokens of a request (system, messages, tool specs), before Bedrock counts them. */
export function estimateRequestTokens(request: Pick<ChatRequest, 'system' | 'tools' | 'messages'>): number {
  let tokens = 0;
  for (const b of request.system ?? []) if ('text' in b) tokens += estimateTokens(b.text);
  for (const m of request.messages) {
    for (const b of m.content) {
      if ('text' in b) tokens += estimateTokens(b.text);
      else if ('toolUse' in b) tokens += estimateTokens(JSON.stringify(b.toolUse.input ?? null));
      else if ('toolResult' in b)
        for (const c of b.toolResult.content) tokens += estimateTokens('text' in c ? c.text : JSON.stringify(c.json ?? null));
    }
  }
  if (request.tools?.length) tokens += estimateTokens(JSON.stringify(request.tools));
  return tokens;
}
