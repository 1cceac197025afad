/**
 * Agent mode: a Converse tool-use loop. The model searches, reads and lists the docs through
 * read-only tools until it can answer; every passage a tool shows is numbered as a source across
 * the whole run, so the answer's [n] citations map to file and lines like a non-agent answer.
 * A step limit and a token budget end the loop cleanly: the model is told to answer with what it
 * has, and if it still will not, the run ends with a message that lists the sources found.
 */
import { BedrockDocsError, isCancellation } from '../errors';
import { effectiveMaxTokens, lookupModel, topKFieldsFor } from '../models/catalog';
import type { ChatMessage, ChatRequest, ContentBlock, TokenUsage, UsageTally } from '../ports';
import type { AnswerResult, AskDeps, AskEvent, AskRequest } from '../rag/ask';
import { ZERO_USAGE } from '../rag/ask';
import { resolveCitations } from '../rag/citations';
import { formatQuestion } from '../rag/prompt';
import { addUsage, costOfUsage, totalTokens } from '../usage/cost';
import { estimateRequestTokens } from '../metering/outgoingRequest';
import { CallTally } from '../metering/usageTally';
import type { AgentLimit } from './agentPrompt';
import { AGENT_SYSTEM_PROMPT, answerNowNotice, limitAnswer, STEP_LIMIT_RESULT } from './agentPrompt';
import type { ToolContext } from './agentTools';
import { AGENT_TOOLS, executeTool } from './agentTools';
import type { DocReader } from './docReader';
import { SourceLedger } from './sourceLedger';

/** The bounds of one agent answer. */
export interface AgentLimits {
  /** Most tool calls (bedrockDocs.agent.maxSteps). */
  maxSteps: number;
  /**
   * Tokens all turns of the answer may use, input (cache reads and writes included) plus output
   * (bedrockDocs.agent.tokenBudget). Checked between turns: the last turn can overshoot it.
   */
  tokenBudget: number;
  /** Cap on one tool result's text, characters. */
  maxResultChars: number;
  /** Most paths one list_docs call returns. */
  listLimit: number;
}

/** Defaults until settings say otherwise: 8 tool calls, 100,000 tokens, 12,000-character results, 200 listed paths. */
export const DEFAULT_AGENT_LIMITS: AgentLimits = { maxSteps: 8, tokenBudget: 100_000, maxResultChars: 12_000, listLimit: 200 };

/** An ask request plus the agent's limits; `retrieval` is what search_docs uses (k, mode, the user's scope). */
export interface AgentRequest extends AskRequest {
  limits?: Partial<AgentLimits>;
}

/** The ask dependencies plus the confined document reader. */
export interface AgentDeps extends AskDeps {
  reader: DocReader;
}

/** One tool call, as the chat's trace and `ask --agent --json` show it. */
export interface AgentStep {
  /** `step-1`, `step-2`... in call order. */
  id: string;
  tool: string;
  /** The model's input as received (a string when it sent broken JSON). */
  input: unknown;
  /** Characters of the result sent back to the model; null while the tool runs. */
  resultChars: number | null;
  status?: 'success' | 'error';
  /** Source numbers the result showed. */
  sources?: number[];
}

/** An AnswerResult, plus the steps taken and whether a limit cut the run short. */
export interface AgentResult extends AnswerResult {
  steps: AgentStep[];
  /** Model calls made. */
  turns: number;
  /** Set when the step limit or the token budget ended tool use. */
  limitReached?: AgentLimit;
}

/** Cancellation and progress callbacks of one run. */
export interface AgentOptions {
  signal?: AbortSignal;
  /** Called when a step starts (resultChars null) and again when it ends. */
  onStep?: (step: AgentStep) => void;
  /** `sources` (all so far) after a tool numbered new ones; `delta` for streamed text of any turn. */
  onEvent?: (event: AskEvent) => void;
  /** Adds up the run's calls (the question's total). */
  tally?: UsageTally;
}

interface ToolCall {
  toolUseId: string;
  name: string;
  input: unknown;
}

// Converse wants toolUse.input to be a JSON object; a model's broken JSON arrives as a string.
const asObject = (input: unknown) => (input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {});

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BedrockDocsError('CANCELLED', 'The answer was cancelled.');
}

/** Answers a question with the tool-use loop; throws like `ask` (a cancel is CANCELLED). */
export async function runAgent(request: AgentRequest, deps: AgentDeps, options: AgentOptions = {}): Promise<AgentResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const { signal } = options;
  const limits: AgentLimits = { ...DEFAULT_AGENT_LIMITS, ...request.limits };
  const ledger = new SourceLedger();
  // Every call of the run (model turns, query embeddings of its searches) adds up here.
  const tally = new CallTally(options.tally);
  const ctx: ToolContext = {
    retriever: deps.retriever,
    reader: deps.reader,
    ledger,
    retrieval: request.retrieval,
    maxResultChars: limits.maxResultChars,
    listLimit: limits.listLimit,
    signal,
    tally,
  };
  const messages: ChatMessage[] = [...(request.history ?? []), { role: 'user', content: [{ text: formatQuestion(request.question) }] }];
  const model = lookupModel(request.modelId, request.modelOverrides);
  const additional = request.samplingTopK && model.temperature ? topKFieldsFor(model, request.samplingTopK) : undefined;
  const inference = { ...request.inference, maxTokens: effectiveMaxTokens(model, request.inference.maxTokens ?? model.maxOutputTokens) };
  if (!model.temperature) {
    delete inference.temperature;
    delete inference.topP;
  }
  const maxOutput = request.inference.maxTokens ?? 4096;
  const steps: AgentStep[] = [];
  let usage: TokenUsage = { ...ZERO_USAGE };
  let answer = '';
  let firstTokenMs: number | undefined;
  let stopReason = 'unknown';
  let limit: AgentLimit | undefined;
  let finalTurn = false;
  let turns = 0;

  const emit = (text: string) => {
    firstTokenMs ??= now() - started;
    answer += text;
    options.onEvent?.({ type: 'delta', text });
  };
  // Turns' texts are joined by a blank line, in the answer and in the stream alike.
  const emitParagraph = (text: string) => emit(answer.trim() === '' ? text : `\n\n${text}`);
  const result = (extra: Partial<AgentResult> = {}): AgentResult => {
    const sources = ledger.sources;
    const contextBudget = {
      windowTokens: model.contextWindow,
      usedTokens: usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens,
      droppedChunks: 0,
      droppedTurns: 0,
    };
    const out: AgentResult = {
      answer,
      sources,
      citations: resolveCitations(answer, sources),
      usage,
      costUsd: tally.value.calls > 0 ? tally.value.costUsd : costOfUsage(usage, model.prices),
      contextBudget,
      model,
      latencyMs: now() - started,
      firstTokenMs,
      stopReason,
      modelId: request.modelId,
      incomplete: false,
      steps,
      turns,
      ...extra,
    };
    if (limit) out.limitReached = limit;
    deps.logger.debug(
      `agent: ${turns} turns, ${steps.length} steps, ${totalTokens(usage)} tokens, ${out.latencyMs} ms${limit ? `, stopped by the ${limit} limit` : ''}`,
    );
    return out;
  };
  const stopAt = (which: AgentLimit): AgentResult => {
    limit = which;
    stopReason = which === 'steps' ? 'agent_step_limit' : 'agent_token_budget';
    emitParagraph(limitAnswer(which, String(which === 'steps' ? limits.maxSteps : limits.tokenBudget), ledger.sources));
    return result();
  };

  for (;;) {
    throwIfCancelled(signal);
    turns++;
    const chatRequest: ChatRequest = {
      modelId: request.modelId,
      system: [{ text: AGENT_SYSTEM_PROMPT }],
      messages: [...messages],
      inferenceConfig: inference,
      // Sent on every turn, the last included: Converse rejects toolUse blocks without a toolConfig.
      tools: AGENT_TOOLS,
      ...(additional ? { additionalModelRequestFields: additional } : {}),
      ...(request.guardrail ? { guardrailConfig: request.guardrail } : {}),
    };
    let text = '';
    const calls: ToolCall[] = [];
    try {
      for await (const event of deps.chat.converseStream(chatRequest, { signal, tally, purpose: 'agentStep' })) {
        if (event.type === 'textDelta') {
          if (text === '' && event.text !== '' && answer.trim() !== '') emit('\n\n');
          text += event.text;
          emit(event.text);
        } else if (event.type === 'toolUse') calls.push({ toolUseId: event.toolUseId, name: event.name, input: event.input });
        else if (event.type === 'messageStop') stopReason = event.stopReason;
        else if (event.type === 'metadata') usage = addUsage(usage, event.usage);
      }
    } catch (err) {
      if (isCancellation(err) || !(err instanceof BedrockDocsError) || err.code !== 'STREAM_INTERRUPTED' || answer === '') throw err;
      deps.logger.warn(`agent answer stream interrupted after ${answer.length} characters: ${err.message}`);
      stopReason = 'interrupted';
      return result({ incomplete: true, error: err });
    }
    if (calls.length === 0) return result();
    // Told to answer, it asked for tools again: end here rather than loop.
    if (finalTurn) return stopAt(limit ?? 'steps');
    if (totalTokens(usage) >= limits.tokenBudget) return stopAt('tokens');

    messages.push({
      role: 'assistant',
      content: [
        ...(text.trim() ? [{ text }] : []),
        ...calls.map((c): ContentBlock => ({ toolUse: { toolUseId: c.toolUseId, name: c.name, input: asObject(c.input) } })),
      ],
    });
    const results: ContentBlock[] = [];
    for (const call of calls) {
      throwIfCancelled(signal);
      if (steps.length >= limits.maxSteps) {
        limit = 'steps';
        results.push({ toolResult: { toolUseId: call.toolUseId, content: [{ text: STEP_LIMIT_RESULT }], status: 'error' } });
        continue;
      }
      const step: AgentStep = { id: `step-${steps.length + 1}`, tool: call.name, input: call.input, resultChars: null };
      steps.push(step);
      options.onStep?.({ ...step });
      const known = ledger.sources.length;
      const outcome = await executeTool(call.name, call.input, ctx);
      Object.assign(step, { resultChars: outcome.text.length, status: outcome.status, sources: outcome.sources });
      options.onStep?.({ ...step });
      deps.logger.debug(`agent ${step.id}: ${call.name} -> ${outcome.status}, ${outcome.text.length} chars`);
      if (ledger.sources.length > known) options.onEvent?.({ type: 'sources', sources: ledger.sources });
      results.push({ toolResult: { toolUseId: call.toolUseId, content: [{ text: outcome.text }], status: outcome.status } });
    }
    if (steps.length >= limits.maxSteps) limit = 'steps';
    const reply: ChatMessage = { role: 'user', content: results };
    if (
      !limit &&
      totalTokens(usage) + estimateRequestTokens({ ...chatRequest, messages: [...messages, reply] }) + maxOutput > limits.tokenBudget
    )
      limit = 'tokens';
    if (limit) {
      finalTurn = true;
      reply.content.push({ text: answerNowNotice(limit) });
    }
    messages.push(reply);
  }
}
