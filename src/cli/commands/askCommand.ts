import { formatBreadcrumb } from '../../core/chunk';
import { describeError } from '../../core/errors';
import type { SearchMode } from '../../core/index/hybridIndex';
import { parseQuery } from '../../core/index/searchFilter';
import type { AgentResult } from '../../core/agent/runAgent';
import type { AnswerResult } from '../../core/rag/ask';
import { answerQuestion } from '../../core/rag/answerQuestion';
import { askRequestFromSettings } from '../../core/rag/askRequest';
import { ConfinedDocReader } from '../../node/confinedDocReader';
import type { CliIo, SessionFlags } from '../cliSession';
import { fullTextNotice, openSession, recordUsage, restoreAndSync } from '../cliSession';

/** The JSON shape of `ask --json` (and of each variant in `compare --json`). */
export function answerJson(result: (AnswerResult | AgentResult) & { mode?: string }): Record<string, unknown> {
  return {
    ...(result.mode ? { mode: result.mode } : {}),
    answer: result.answer,
    citations: result.citations.map((c) => ({ n: c.n, path: c.path, startLine: c.startLine, endLine: c.endLine })),
    usage: result.usage,
    costUsd: result.costUsd,
    contextBudget: result.contextBudget,
    latencyMs: result.latencyMs,
    modelId: result.modelId,
    ...('steps' in result ? { steps: result.steps.map((s) => ({ tool: s.tool, input: s.input, resultChars: s.resultChars })) } : {}),
    ...(result.guardrail ? { guardrail: { summary: result.guardrail.summary, policies: result.guardrail.policies } } : {}),
    ...(result.incomplete ? { incomplete: true, error: describeError(result.error) } : {}),
  };
}

/** The footer line: tokens (cache reads and writes apart), latency, cost, model. */
export function usageLine(result: AnswerResult): string {
  const u = result.usage;
  const cache = `${u.cacheReadInputTokens ? `, ${u.cacheReadInputTokens} cache read` : ''}${u.cacheWriteInputTokens ? `, ${u.cacheWriteInputTokens} cache write` : ''}`;
  const cost = result.costUsd === null ? 'cost unknown' : `$${result.costUsd.toFixed(4)}`;
  return `Tokens: ${u.inputTokens} in, ${u.outputTokens} out${cache} · ${(result.latencyMs / 1000).toFixed(1)} s · ${cost} · ${result.modelId}`;
}

/** `bedrock-docs ask "<question>"`: streams a cited answer, then sources and usage (or one JSON object). */
export async function askCommand(
  question: string,
  flags: SessionFlags & { json?: boolean; k?: number; mode?: SearchMode; agent?: boolean },
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const session = await openSession(flags, io);
  try {
    const report = await restoreAndSync(session, io, signal);
    const notice = fullTextNotice(session, report);
    if (notice && !flags.json) io.err(`${notice}\n`);
    const { settings } = session;
    const { text, filter } = parseQuery(question);
    const request = askRequestFromSettings(settings, text, { k: flags.k, mode: flags.mode, filter });
    const deps = { retriever: session.retriever, chat: session.services.chat, logger: session.logger, outgoingText: session.outgoing };
    const onEvent = (e: { type: string; text?: string }) => (e.type === 'delta' && !flags.json ? io.out(e.text ?? '') : undefined);
    const index = session.indexer.index;
    const result = await answerQuestion(
      request,
      deps,
      {
        ...(flags.agent
          ? {
              agent: {
                reader: new ConfinedDocReader({ roots: [{ name: '', root: session.dir }], allowedPaths: () => index.filePaths() }),
                maxSteps: settings['agent.maxSteps'],
                tokenBudget: settings['agent.tokenBudget'],
                onStep: (s) => {
                  if (!flags.json && s.resultChars !== null)
                    io.err(`[agent] ${s.tool} ${JSON.stringify(s.input)} -> ${s.resultChars} chars\n`);
                },
              },
            }
          : {}),
        wholeCorpus: {
          setting: settings['chat.wholeCorpus'],
          maxTokens: settings['chat.wholeCorpusMaxTokens'],
          chunks: () => index.filePaths().flatMap((p) => index.chunksOf(p)),
        },
      },
      { signal, onEvent },
    );
    await recordUsage(session, {
      kind: 'question',
      modelId: result.modelId,
      usage: result.usage,
      latencyMs: result.latencyMs,
      estimatedInputTokens: result.contextBudget.usedTokens,
      errorCode: result.error?.code,
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
  } finally {
    session.dispose();
  }
}
