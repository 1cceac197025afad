import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildEvalReport } from '../../core/eval/evalReport';
import { parseEvalSet } from '../../core/eval/evalSet';
import { formatEvalTable } from '../../core/eval/formatEvalTable';
import { runEval } from '../../core/eval/runEval';
import type { SearchMode } from '../../core/index/hybridIndex';
import { askRequestFromSettings } from '../../core/rag/askRequest';
import type { CliIo, SessionFlags } from '../cliSession';
import { fullTextNotice, openSession, restoreAndSync } from '../cliSession';

/** `bedrock-docs eval <file.jsonl>`: retrieval (and answer) metrics over an eval set. */
export async function evalCommand(
  file: string,
  flags: SessionFlags & { json?: boolean; k?: number; mode?: SearchMode; retrievalOnly?: boolean; perQuestion?: boolean },
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const items = parseEvalSet(await readFile(resolve(file), 'utf8'), file);
  const session = await openSession(flags, io);
  try {
    const report = await restoreAndSync(session, io, signal);
    const notice = fullTextNotice(session, report);
    const mode = flags.mode ?? session.settings['retrieval.mode'];
    if (notice && mode !== 'fulltext') io.err(`${notice}\n`);
    const k = flags.k ?? 5;
    const runs = await runEval(items, {
      retriever: session.retriever,
      mode,
      signal,
      generate: flags.retrievalOnly
        ? undefined
        : {
            deps: { retriever: session.retriever, chat: session.services.chat, logger: session.logger, outgoingText: session.outgoing },
            costOf: (result) => result.costUsd ?? undefined,
            request: (q) => askRequestFromSettings(session.settings, q, { mode }),
          },
      onProgress: (done, total) => {
        if (!io.isTty) return;
        const width = 30;
        const filled = Math.round((done / total) * width);
        io.err(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      },
    });
    if (io.isTty) io.err('\r\x1b[K');
    const evalReport = buildEvalReport(runs, { k });
    if (flags.json) io.out(JSON.stringify({ mode, ...evalReport }, null, 2) + '\n');
    else io.out(formatEvalTable(evalReport, { perQuestion: flags.perQuestion, runName: `bedrock-docs (${mode})` }) + '\n');
    return 0;
  } finally {
    session.dispose();
  }
}
