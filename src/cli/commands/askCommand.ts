import { formatBreadcrumb } from '../../core/chunk';
import { describeError } from '../../core/errors';
import type { SearchMode } from '../../core/index/hybridIndex';
import { parseQuery } from '../../core/index/searchFilter';
import { ask } from '../../core/rag/ask';
import { askRequestFromSettings } from '../../core/rag/askRequest';
import type { CliIo, SessionFlags } from '../cliSession';
import { fullTextNotice, openSession, restoreAndSync } from '../cliSession';

/** `bedrock-docs ask "<question>"`: streams a cited answer, then sources and usage (or one JSON object). */
export async function askCommand(question: string, flags: SessionFlags & { json?: boolean; k?: number; mode?: SearchMode }, io: CliIo, signal?: AbortSignal): Promise<number> {
  const session = await openSession(flags, io);
  try {
    const report = await restoreAndSync(session, io, signal);
    const notice = fullTextNotice(session, report);
    if (notice && !flags.json) io.err(`${notice}\n`);
    const { settings } = session;
    const { text, filter } = parseQuery(question);
    const result = await ask(
      askRequestFromSettings(settings, text, { k: flags.k, mode: flags.mode, filter }),
      { retriever: session.indexer, chat: session.services.chat, logger: session.logger },
      { signal, onEvent: (e) => (e.type === 'delta' && !flags.json ? io.out(e.text) : undefined) },
    );
    if (flags.json) {
      io.out(
        JSON.stringify(
          {
            answer: result.answer,
            citations: result.citations.map((c) => ({ n: c.n, path: c.path, startLine: c.startLine, endLine: c.endLine })),
            usage: result.usage,
            latencyMs: result.latencyMs,
            modelId: result.modelId,
            ...(result.incomplete ? { incomplete: true, error: describeError(result.error) } : {}),
          },
          null,
          2,
        ) + '\n',
      );
      return result.incomplete ? 1 : 0;
    }
    io.out('\n');
    if (result.incomplete) io.err(`The answer is incomplete: ${describeError(result.error)}\n`);
    if (result.citations.length > 0) {
      io.out('\nSources:\n');
      for (const c of result.citations) io.out(`  [${c.n}] ${c.path}:${c.startLine}-${c.endLine}${c.breadcrumb.length ? `  (${formatBreadcrumb(c.breadcrumb)})` : ''}\n`);
    }
    const u = result.usage;
    io.out(`\nTokens: ${u.inputTokens} in, ${u.outputTokens} out${u.cacheReadInputTokens ? `, ${u.cacheReadInputTokens} cache read` : ''}${u.cacheWriteInputTokens ? `, ${u.cacheWriteInputTokens} cache write` : ''} · ${(result.latencyMs / 1000).toFixed(1)} s · ${result.modelId}\n`);
    return result.incomplete ? 1 : 0;
  } finally {
    session.dispose();
  }
}
