import { relative } from 'node:path';
import type { CliIo, SessionFlags } from '../cliSession';
import { fullTextNotice, withSession } from '../cliSession';

/** `bedrock-docs index [dir]`: index (incrementally) and print a summary. */
export async function indexCommand(flags: SessionFlags & { json?: boolean }, io: CliIo, signal?: AbortSignal): Promise<number> {
  return withSession(flags, io, signal, async (session, report) => {
    if (flags.json) {
      io.out(JSON.stringify({ ...report, cacheDir: session.cacheDir }, null, 2) + '\n');
      return 0;
    }
    const notice = fullTextNotice(session, report);
    if (notice) io.err(`${notice}\n`);
    io.out(
      `Indexed ${report.files} files, ${report.chunks} chunks in ${(report.durationMs / 1000).toFixed(1)} s ` +
        `(${report.changedFiles} changed, ${report.removedFiles} removed; ${report.embedded} embedded, ${report.vectors} with vectors).\n`,
    );
    if (report.failedEmbeddings > 0) io.out(`${report.failedEmbeddings} chunks could not be embedded; they are retried on the next run.\n`);
    if (report.skipped.length > 0) {
      io.out(`Skipped ${report.skipped.length} files:\n`);
      for (const s of report.skipped) io.out(`  ${s.path}: ${s.reason}\n`);
    }
    const rel = relative(process.cwd(), session.cacheDir);
    io.out(`Index saved in ${rel && !rel.startsWith('..') ? rel : session.cacheDir}\n`);
    return 0;
  });
}
