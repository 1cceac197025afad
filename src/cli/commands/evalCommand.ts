import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildEvalReport } from '../../core/eval/evalReport';
import { parseEvalSet } from '../../core/eval/evalSet';
import { formatEvalTable } from '../../core/eval/formatEvalTable';
import type { SearchMode } from '../../core/index/hybridIndex';
import { evaluateSet } from '../../core/rag/questionPipeline';
import type { CliIo, SessionFlags } from '../cliSession';
import { fullTextNotice, withSession } from '../cliSession';
import { totalJson } from './askCommand';

/** `bedrock-docs eval <file.jsonl>`: retrieval (and answer) metrics over an eval set. */
export async function evalCommand(
  file: string,
  flags: SessionFlags & { json?: boolean; k?: number; mode?: SearchMode; retrievalOnly?: boolean; perQuestion?: boolean },
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const items = parseEvalSet(await readFile(resolve(file), 'utf8'), file);
  return withSession(flags, io, signal, async (session, report) => {
    const notice = fullTextNotice(session, report);
    const mode = flags.mode ?? session.settings['retrieval.mode'];
    if (notice && mode !== 'fulltext') io.err(`${notice}\n`);
    const k = flags.k ?? 5;
    const { runs, total } = await evaluateSet(items, await session.pipeline(), {
      retrievalOnly: flags.retrievalOnly,
      mode,
      signal,
      onProgress: (done, count) => {
        if (!io.isTty) return;
        const width = 30;
        const filled = Math.round((done / count) * width);
        io.err(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${count}`);
      },
    });
    if (io.isTty) io.err('\r\x1b[K');
    const evalReport = buildEvalReport(runs, { k });
    if (flags.json) io.out(JSON.stringify({ mode, ...evalReport, total: totalJson(total) }, null, 2) + '\n');
    else io.out(formatEvalTable(evalReport, { perQuestion: flags.perQuestion, runName: `bedrock-docs (${mode})` }) + '\n');
    return 0;
  });
}
