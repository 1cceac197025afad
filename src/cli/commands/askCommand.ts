import { formatBreadcrumb } from '../../core/chunk';
import { describeError } from '../../core/errors';
import type { SearchMode } from '../../core/index/hybridIndex';
import type { TallyTotals } from '../../core/metering/usageTally';
import type { AgentResult } from '../../core/agent/runAgent';
import type { AnswerResult } from '../../core/rag/ask';
import { runQuestion } from '../../core/rag/questionPipeline';
import type { CliIo, SessionFlags } from '../cliSession';
import { fullTextNotice, withSession } from '../cliSession';

/** The question's calls added up, as `ask --json` and `compare --json` print them. */
export function totalJson(total: TallyTotals): Record<string, unknown> {
  return {
    calls: total.calls,
    usage: total.usage,
    embeddingTokens: total.embeddingTokens,
    costUsd: total.costUsd,
    byPurpose: total.byPurpose,
  };
}

/** The JSON shape of `ask --json` (and of each variant in `compare --json`). */
export function answerJson(result: (AnswerResult | AgentResult) & { mode?: string; total?: TallyTotals }): Record<string, unknown> {
  return {
    ...(result.mode ? { mode: result.mode } : {}),
    answer: result.answer,
    citations: result.citations.map((c) => ({ n: c.n, path: c.path, startLine: c.startLine, endLine: c.endLine })),
    usage: result.usage,
    costUsd: result.costUsd,
    ...(result.total ? { total: totalJson(result.total) } : {}),
    contextBudget: result.contextBudget,
    latencyMs: result.latencyMs,
    modelId: result.modelId,
    ...('steps' in result ? { steps: result.steps.map((s) => ({ tool: s.tool, input: s.input, resultChars: s.resultChars })) } : {}),
    ...(result.guardrail ? { guardrail: { summary: result.guardrail.summary, policies: result.guardrail.policies } } : {}),
    ...(result.incomplete ? { incomplete: true, error: describeError(result.error) } : {}),
  };
}

/** The footer line: the question's tokens (cache reads and writes apart), latency, cost, model. */
export function usageLine(result: AnswerResult & { total?: TallyTotals }): string {
  const u = result.total?.usage ?? result.usage;
  const usd = result.total ? result.total.costUsd : result.costUsd;
  const cache = `${u.cacheReadInputTokens ? `, ${u.cacheReadInputTokens} cache read` : ''}${u.cacheWriteInputTokens ? `, ${u.cacheWriteInputTokens} cache write` : ''}`;
  const cost = usd === null ? 'cost unknown' : `$${usd.toFixed(4)}`;
  const calls = result.total && result.total.calls > 1 ? ` · ${result.total.calls} calls` : '';
  return `Tokens: ${u.inputTokens} in, ${u.outputTokens} out${cache} · ${(result.latencyMs / 1000).toFixed(1)} s · ${cost}${calls} · ${result.modelId}`;
}

/** `bedrock-docs ask "<question>"`: streams a cited answer, then sources and usage (or one JSON object). */
export async function askCommand(
  question: string,
  flags: SessionFlags & { json?: boolean; k?: number; mode?: SearchMode; agent?: boolean; model?: string },
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  return withSession(flags, io, signal, async (session, report) => {
    const notice = fullTextNotice(session, report);
    if (notice && !flags.json) io.err(`${notice}\n`);
    const result = await runQuestion({ question, k: flags.k, mode: flags.mode, agent: flags.agent }, await session.pipeline(), {
      signal,
      onEvent: (e) => {
        if (flags.json) return;
        if (e.type === 'delta') io.out(e.text);
        else if (e.type === 'step' && e.step.resultChars !== null)
          io.err(`[agent] ${e.step.tool} ${JSON.stringify(e.step.input)} -> ${e.step.resultChars} chars\n`);
      },
    });
    if (flags.json) {
      io.out(JSON.stringify(answerJson(result), null, 2) + '\n');
      return result.incomplete ? 1 : 0;
    }
    io.out('\n');
    if (result.guardrail) io.err(`The guardrail intervened: ${result.guardrail.summary}\n`);
    if (result.incomplete) io.err(`The answer is incomplete: ${describeError(result.error)}\n`);
    if (result.citations.length > 0) {
      io.out('\nSources:\n');
      for (const c of result.citations)
        io.out(`  [${c.n}] ${c.path}:${c.startLine}-${c.endLine}${c.breadcrumb.length ? `  (${formatBreadcrumb(c.breadcrumb)})` : ''}\n`);
    }
    const dropped = result.contextBudget.droppedChunks + result.contextBudget.droppedTurns;
    if (dropped)
      io.out(
        `\nTo fit the ${result.contextBudget.windowTokens}-token window, ${result.contextBudget.droppedChunks} sources and ${result.contextBudget.droppedTurns} earlier turns were left out.\n`,
      );
    io.out(`\n${usageLine(result)}\n`);
    return result.incomplete ? 1 : 0;
  });
}
