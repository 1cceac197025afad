/**
 * Picks how a question is answered, the same way in the CLI, the chat and @docs: agent mode (the
 * model searches with tools), the whole corpus in the prompt (small doc sets, with caching), or
 * retrieval. Says which mode was used.
 */
import type { AgentResult } from '../agent/runAgent';
import { runAgent } from '../agent/runAgent';
import type { DocReader } from '../agent/docReader';
import type { Chunk } from '../chunk';
import type { AgentStep } from '../agent/runAgent';
import type { AnswerResult, AskDeps, AskOptions, AskRequest } from './ask';
import { ask } from './ask';
import { askWholeCorpus, decideAnswerMode, estimateCorpusTokens } from './wholeCorpus';

export type AnswerMode = 'retrieval' | 'agent' | 'wholeCorpus';

export interface AnswerOptions {
  agent?: { reader: DocReader; maxSteps: number; tokenBudget: number; onStep?: (step: AgentStep) => void };
  /** Whole-corpus answers: the setting and the index's chunks (read only when needed). */
  wholeCorpus?: { setting: 'off' | 'auto' | 'always'; maxTokens: number; chunks: () => readonly Chunk[] };
}

export type QuestionAnswer = (AnswerResult | AgentResult) & { mode: AnswerMode; modeReason?: string };

export async function answerQuestion(
  request: AskRequest,
  deps: AskDeps,
  options: AnswerOptions,
  call: AskOptions = {},
): Promise<QuestionAnswer> {
  if (options.agent) {
    const { reader, maxSteps, tokenBudget, onStep } = options.agent;
    const result = await runAgent(
      { ...request, limits: { maxSteps, tokenBudget } },
      { ...deps, reader },
      { signal: call.signal, tally: call.tally, onEvent: call.onEvent, onStep },
    );
    return { ...result, mode: 'agent' };
  }
  const whole = options.wholeCorpus;
  if (whole && whole.setting !== 'off') {
    const chunks = whole.chunks();
    const decision = decideAnswerMode({
      setting: whole.setting,
      corpusTokens: estimateCorpusTokens(chunks),
      modelId: request.modelId,
      maxOutputTokens: request.inference.maxTokens ?? 2048,
      maxCorpusTokens: whole.maxTokens,
      overrides: request.modelOverrides,
    });
    deps.logger.info(`answer mode: ${decision.reason}`);
    if (decision.mode === 'wholeCorpus') {
      const result = await askWholeCorpus(
        {
          question: request.question,
          history: request.history,
          modelId: request.modelId,
          inference: request.inference,
          corpus: chunks,
          modelOverrides: request.modelOverrides,
          promptCaching: request.promptCaching,
        },
        deps,
        call,
      );
      return { ...result, mode: 'wholeCorpus', modeReason: decision.reason };
    }
    return { ...(await ask(request, deps, call)), mode: 'retrieval', modeReason: decision.reason };
  }
  return { ...(await ask(request, deps, call)), mode: 'retrieval' };
}
