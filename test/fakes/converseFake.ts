/**
 * Converse for the fake Bedrock: validates the request roughly like Bedrock, decides the answer
 * (scripted or the deterministic default citing [1]) and counts tokens, prompt cache included.
 */
import { createHash } from 'node:crypto';

type Json = Record<string, unknown>;

/** A content block as it travels in Converse JSON (loose: the fake validates it). */
export interface WireBlock {
  text?: string;
  cachePoint?: { type?: string };
  toolUse?: { toolUseId?: string; name?: string; input?: unknown };
  toolResult?: { toolUseId?: string; content?: Array<{ text?: string; json?: unknown }>; status?: string };
  [other: string]: unknown;
}

/** The Converse / ConverseStream request body. */
export interface ConverseBody {
  system?: WireBlock[];
  messages?: Array<{ role?: string; content?: WireBlock[] }>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  additionalModelRequestFields?: Json;
  toolConfig?: {
    tools?: Array<{ toolSpec?: { name?: string; description?: string; inputSchema?: { json?: unknown } }; cachePoint?: { type?: string } }>;
    toolChoice?: unknown;
  };
  guardrailConfig?: { guardrailIdentifier?: string; guardrailVersion?: string; trace?: string; streamProcessingMode?: string };
}

/** A reply queued with `fake.script.reply(...)`; consumed by the next Converse(Stream) call. */
export type ScriptedReply =
  | { text: string; stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' }
  | { toolUse: { name: string; input: unknown; toolUseId?: string }; text?: string }
  | { guardrailIntervened: { text?: string; trace?: unknown } };

/** The answer the fake will send, as Converse content blocks. */
export interface ConverseOutcome {
  content: Array<{ text: string } | { toolUse: { toolUseId: string; name: string; input: unknown } }>;
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'guardrail_intervened';
  outputTokens: number;
  /** `trace.guardrail`, only when the request asked for a guardrail trace. */
  trace?: unknown;
}

/** Deterministic token count of the fake: ceil(characters / 4). */
export const tokensOf = (text: string): number => Math.ceil(text.length / 4);

const coral = (value: unknown, path: string, constraint: string) =>
  `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${constraint}`;

function validateBlock(block: WireBlock, where: string, hasTools: boolean): string | undefined {
  if (typeof block !== 'object' || block === null) return `The content block at ${where} is not an object.`;
  if ('text' in block) {
    if (typeof block.text !== 'string' || block.text.trim() === '')
      return `The text field in the ContentBlock object at ${where} is blank. Add text to the text field, and try again.`;
    return undefined;
  }
  if ('cachePoint' in block)
    return block.cachePoint?.type === 'default'
      ? undefined
      : coral(block.cachePoint?.type, `${where}.cachePoint.type`, 'Member must satisfy enum value set: [default]');
  if ('toolUse' in block || 'toolResult' in block) {
    if (!hasTools) return 'The toolConfig field must be defined when using toolUse and toolResult content blocks.';
    const id = block.toolUse?.toolUseId ?? block.toolResult?.toolUseId;
    if (typeof id !== 'string' || id === '') return coral(id, `${where}.toolUseId`, 'Member must not be null');
    return undefined;
  }
  return `The content block at ${where} has no supported member (text, cachePoint, toolUse, toolResult).`;
}

/** The ValidationException message Bedrock would answer for this body, or undefined if valid. */
export function validateConverse(body: ConverseBody): string | undefined {
  const { messages, inferenceConfig: ic, toolConfig, guardrailConfig } = body;
  if (!Array.isArray(messages)) return coral(null, 'messages', 'Member must not be null');
  if (messages.length === 0)
    return 'The messages field is empty. Add at least one message that starts the conversation with a user message.';
  if (ic?.temperature !== undefined && (ic.temperature < 0 || ic.temperature > 1)) {
    return coral(
      ic.temperature,
      'inferenceConfig.temperature',
      `Member must have value ${ic.temperature < 0 ? 'greater than or equal to 0' : 'less than or equal to 1'}`,
    );
  }
  if (ic?.topP !== undefined && (ic.topP < 0 || ic.topP > 1))
    return coral(ic.topP, 'inferenceConfig.topP', 'Member must have value less than or equal to 1');
  if (ic?.maxTokens !== undefined && (!Number.isInteger(ic.maxTokens) || ic.maxTokens < 1))
    return coral(ic.maxTokens, 'inferenceConfig.maxTokens', 'Member must have value greater than or equal to 1');
  const tools = toolConfig?.tools;
  if (toolConfig && (!Array.isArray(tools) || tools.length === 0))
    return coral('[]', 'toolConfig.tools', 'Member must have length greater than or equal to 1');
  for (const [i, tool] of (tools ?? []).entries()) {
    if (tool.cachePoint) continue;
    const name = tool.toolSpec?.name;
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name))
      return coral(name, `toolConfig.tools.${i}.member.toolSpec.name`, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+');
    if (typeof tool.toolSpec?.inputSchema?.json !== 'object')
      return `The tool ${name} at toolConfig.tools.${i} needs an inputSchema with a json member.`;
  }
  if (guardrailConfig && (!guardrailConfig.guardrailIdentifier || !guardrailConfig.guardrailVersion)) {
    return 'The guardrailConfig field needs both guardrailIdentifier and guardrailVersion.';
  }
  for (const [j, block] of (body.system ?? []).entries()) {
    const problem = validateBlock(block, `system.${j}`, true);
    if (problem) return problem;
  }
  let previousToolUses = new Set<string>();
  for (const [i, message] of messages.entries()) {
    if (message.role !== 'user' && message.role !== 'assistant')
      return coral(message.role, `messages.${i}.member.role`, 'Member must satisfy enum value set: [user, assistant]');
    if (i === 0 && message.role !== 'user')
      return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
    if (i > 0 && messages[i - 1]?.role === message.role)
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    if (!Array.isArray(message.content) || message.content.length === 0)
      return `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`;
    const toolUses = new Set<string>();
    for (const [j, block] of message.content.entries()) {
      const problem = validateBlock(block, `messages.${i}.content.${j}`, toolConfig !== undefined);
      if (problem) return problem;
      if (block.toolUse?.toolUseId) toolUses.add(block.toolUse.toolUseId);
      const resultId = block.toolResult?.toolUseId;
      if (resultId !== undefined && !previousToolUses.has(resultId)) {
        return `messages.${i}.content.${j}: unexpected toolUseId ${resultId} in a toolResult block. Each toolResult block must have a corresponding toolUse block in the previous message.`;
      }
    }
    previousToolUses = toolUses;
  }
  return undefined;
}

type Unit = { cachePoint: true } | { tokens: number; repr: string };

// Prompt order as models cache it: tools, then system, then messages.
function promptUnits(body: ConverseBody): Unit[] {
  const units: Unit[] = [];
  const push = (value: unknown, text: string) => units.push({ tokens: tokensOf(text), repr: JSON.stringify(value) });
  for (const tool of body.toolConfig?.tools ?? []) {
    if (tool.cachePoint) units.push({ cachePoint: true });
    else push(tool, JSON.stringify(tool.toolSpec));
  }
  const blocks = (list: WireBlock[] | undefined, role: string) => {
    for (const block of list ?? []) {
      if (block.cachePoint) units.push({ cachePoint: true });
      else if (typeof block.text === 'string') push([role, block], block.text);
      else if (block.toolUse) push([role, block], `${block.toolUse.name ?? ''}${JSON.stringify(block.toolUse.input ?? {})}`);
      else if (block.toolResult)
        push([role, block], (block.toolResult.content ?? []).map((c) => c.text ?? JSON.stringify(c.json)).join(''));
    }
  };
  blocks(body.system, 'system');
  for (const message of body.messages ?? []) blocks(message.content, message.role ?? '');
  return units;
}

/** Total input tokens of a request: every text of tools, system and messages. */
export function inputTokensOf(body: ConverseBody): number {
  return promptUnits(body).reduce((sum, u) => sum + ('tokens' in u ? u.tokens : 0), 0);
}

/** Usage as Bedrock reports it; totalTokens is the sum of the other four. */
export interface WireUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

/**
 * Prompt caching: the prefix up to the last cache point is written on first sight and read on
 * later requests within the TTL (which a read refreshes), if it reaches the model's minimum.
 */
export class PromptCache {
  private readonly expiry = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  clear(): void {
    this.expiry.clear();
  }

  /** Splits a request's input tokens into read, write and uncached, at time `now` (ms). */
  usage(modelId: string, body: ConverseBody, minimumTokens: number, outputTokens: number, now: number): WireUsage {
    const units = promptUnits(body);
    const total = units.reduce((sum, u) => sum + ('tokens' in u ? u.tokens : 0), 0);
    let last = -1;
    units.forEach((u, i) => {
      if ('cachePoint' in u) last = i;
    });
    let read = 0;
    let write = 0;
    const prefix = units.slice(0, Math.max(last, 0)).filter((u): u is { tokens: number; repr: string } => 'tokens' in u);
    const prefixTokens = prefix.reduce((sum, u) => sum + u.tokens, 0);
    if (last >= 0 && prefixTokens >= minimumTokens && prefixTokens > 0) {
      const key = createHash('sha256')
        .update(modelId)
        .update('\0')
        .update(prefix.map((u) => u.repr).join('\n'))
        .digest('hex');
      const expires = this.expiry.get(key);
      if (expires !== undefined && expires > now) read = prefixTokens;
      else write = prefixTokens;
      this.expiry.set(key, now + this.ttlMs);
    }
    const input = total - read - write;
    return {
      inputTokens: input,
      outputTokens,
      cacheReadInputTokens: read,
      cacheWriteInputTokens: write,
      totalTokens: input + outputTokens + read + write,
    };
  }
}

function lastUserText(body: ConverseBody): string {
  const messages = body.messages ?? [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== 'user') continue;
    const texts = (message.content ?? []).filter((b) => typeof b.text === 'string').map((b) => b.text as string);
    if (texts.length > 0) return texts[texts.length - 1] as string;
  }
  return '';
}

/** The fake's default answer: deterministic, echoes the end of the question, cites [1]. */
export function defaultAnswer(body: ConverseBody): string {
  const words = lastUserText(body)
    .split(/\s+/)
    .filter(Boolean)
    .slice(-12)
    .join(' ')
    .replace(/[.?!]+$/, '');
  return `According to the documentation [1], this is the answer about: ${words || 'your question'}. See [1] for the details.`;
}

const DEFAULT_BLOCKED = 'Sorry, the model cannot answer this question.';

function guardrailTrace(body: ConverseBody, scripted: unknown): unknown {
  const id = body.guardrailConfig?.guardrailIdentifier ?? 'guardrail';
  return (
    scripted ?? {
      guardrail: {
        inputAssessment: {
          [id]: {
            contentPolicy: {
              filters: [{ type: 'MISCONDUCT', confidence: 'HIGH', filterStrength: 'HIGH', action: 'BLOCKED', detected: true }],
            },
          },
        },
      },
    }
  );
}

/** Decides the answer blocks and stop reason for a valid request. */
export function planOutcome(body: ConverseBody, scripted: ScriptedReply | undefined, nextToolUseId: () => string): ConverseOutcome {
  const traceOn = body.guardrailConfig?.trace === 'enabled' || body.guardrailConfig?.trace === 'enabled_full';
  if (scripted && 'guardrailIntervened' in scripted) {
    const text = scripted.guardrailIntervened.text ?? DEFAULT_BLOCKED;
    return {
      content: [{ text }],
      stopReason: 'guardrail_intervened',
      outputTokens: tokensOf(text),
      trace: traceOn ? guardrailTrace(body, scripted.guardrailIntervened.trace) : undefined,
    };
  }
  if (scripted && 'toolUse' in scripted) {
    const toolUse = {
      toolUseId: scripted.toolUse.toolUseId ?? nextToolUseId(),
      name: scripted.toolUse.name,
      input: scripted.toolUse.input,
    };
    const content: ConverseOutcome['content'] = scripted.text ? [{ text: scripted.text }, { toolUse }] : [{ toolUse }];
    const outputTokens = tokensOf(`${scripted.text ?? ''}${toolUse.name}${JSON.stringify(toolUse.input)}`);
    return { content, stopReason: 'tool_use', outputTokens };
  }
  let text = scripted?.text ?? defaultAnswer(body);
  let stopReason: ConverseOutcome['stopReason'] = scripted?.stopReason ?? 'end_turn';
  const maxTokens = body.inferenceConfig?.maxTokens;
  if (maxTokens !== undefined && tokensOf(text) > maxTokens) {
    text = text.slice(0, maxTokens * 4);
    stopReason = 'max_tokens';
  }
  return { content: [{ text }], stopReason, outputTokens: tokensOf(text) };
}
