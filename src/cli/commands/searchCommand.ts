import { formatBreadcrumb } from '../../core/chunk';
import type { SearchMode } from '../../core/index/hybridIndex';
import { searchDocs } from '../../core/rag/questionPipeline';
import type { CliIo, SessionFlags } from '../cliSession';
import { fullTextNotice, withSession } from '../cliSession';

/** `bedrock-docs search "<query>"`: the best chunks, as text or JSON. */
export async function searchCommand(
  query: string,
  flags: SessionFlags & { json?: boolean; k?: number; mode?: SearchMode },
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  return withSession(flags, io, signal, async (session, report) => {
    const notice = fullTextNotice(session, report);
    if (notice) io.err(`${notice}\n`);
    const mode = flags.mode ?? session.settings['retrieval.mode'];
    if (mode === 'vector' && session.indexer.index.vectorCount === 0)
      io.err('Vector search needs embeddings; this index has none, so there are no vector results.\n');
    const { hits } = await searchDocs(query, { settings: session.settings, retriever: session.retriever }, { k: flags.k, mode, signal });
    if (flags.json) {
      const rows = hits.map((h) => ({
        path: h.chunk.path,
        startLine: h.chunk.startLine,
        endLine: h.chunk.endLine,
        breadcrumb: formatBreadcrumb(h.chunk.breadcrumb),
        score: Number(h.score.toFixed(6)),
        text: h.chunk.text,
        ...(h.chunk.page ? { page: h.chunk.page } : {}),
      }));
      io.out(JSON.stringify(rows, null, 2) + '\n');
      return 0;
    }
    if (hits.length === 0) {
      io.out('No results.\n');
      return 0;
    }
    hits.forEach((h, i) => {
      const where = `${h.chunk.path}:${h.chunk.startLine}-${h.chunk.endLine}`;
      const crumb = formatBreadcrumb(h.chunk.breadcrumb);
      const preview = h.chunk.text.replace(/\s+/g, ' ').trim().slice(0, 160);
      io.out(`${i + 1}. ${where}${crumb ? `  (${crumb})` : ''}  score ${h.score.toFixed(3)}\n   ${preview}\n`);
    });
    return 0;
  });
}
