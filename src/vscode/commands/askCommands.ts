/** Ask a Question (answer streamed into a Markdown document) and Search Docs (quick pick). */
import * as vscode from 'vscode';
import { formatBreadcrumb } from '../../core/chunk';
import type { SearchHit } from '../../core/index/hybridIndex';
import { isRemoteSourcePath, sourceTargetOf } from '../../core/retrieval/sourceLink';
import type { QuestionResult } from '../../core/rag/questionPipeline';
import { runQuestion, searchDocs } from '../../core/rag/questionPipeline';
import { showError } from '../errorUi';
import type { DocsSession } from '../docsSession';
import type { IndexCommandDeps } from './indexCommands';
import { ensureIndexed } from './indexCommands';

/** Opens a source file at its lines and selects them. */
export async function openSource(
  session: DocsSession,
  path: string,
  startLine: number,
  endLine: number,
): Promise<vscode.TextEditor | undefined> {
  if (isRemoteSourcePath(path)) {
    // A Knowledge Base hit: an s3:// object opens in the S3 console, a web page in the browser,
    // unless it lies under the synced prefix of this workspace's docs.
    const target = sourceTargetOf(
      path,
      session.settings['aws.region'] || 'us-east-1',
      session.settings['knowledgeBase.syncedPrefix'] || undefined,
    );
    if (target.kind === 'url') {
      await vscode.env.openExternal(vscode.Uri.parse(target.url));
      return undefined;
    }
    if (target.kind === 'workspace') return openSource(session, target.path, startLine, endLine);
    void vscode.window.showInformationMessage(`Bedrock Docs: ${path} cannot be opened here (${target.reason}).`);
    return undefined;
  }
  const uri = session.uriOf(path);
  if (!uri) return undefined;
  const start = new vscode.Position(Math.max(0, startLine - 1), 0);
  const end = new vscode.Position(Math.max(0, endLine - 1), Number.MAX_SAFE_INTEGER);
  if (/\.pdf$/i.test(path)) {
    await vscode.commands.executeCommand('vscode.open', uri);
    return undefined;
  }
  const editor = await vscode.window.showTextDocument(uri, { selection: new vscode.Range(start, end), preview: true });
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

async function askIntoDocument(deps: IndexCommandDeps, question: string): Promise<QuestionResult | undefined> {
  if (!(await ensureIndexed(deps))) return undefined;
  const session = deps.sessions.session;
  const pipeline = await session.pipelineDeps();
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# ${question.replace(/\n/g, ' ')}\n\n` });
  const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  let pending = '';
  let flushing: Promise<unknown> = Promise.resolve();
  const flush = () => {
    if (!pending) return flushing;
    const text = pending;
    pending = '';
    flushing = flushing.then(() =>
      editor.edit((b) => b.insert(doc.lineAt(doc.lineCount - 1).range.end, text), { undoStopBefore: false, undoStopAfter: false }),
    );
    return flushing;
  };
  const timer = setInterval(() => void flush(), 100);
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Bedrock Docs: answering' }, () =>
      runQuestion({ question }, pipeline, {
        onEvent: (e) => {
          if (e.type === 'delta') pending += e.text;
        },
      }),
    );
    clearInterval(timer);
    const sources = result.citations.map((c) => {
      const uri = session.uriOf(c.path);
      const link = uri ? `${uri.toString()}#L${c.startLine}` : c.path;
      return `- [${c.n}] [${c.path}:${c.startLine}-${c.endLine}](${link})${c.breadcrumb.length ? ` — ${formatBreadcrumb(c.breadcrumb)}` : ''}`;
    });
    const u = result.total.usage;
    const cost = result.total.costUsd === null ? 'cost unknown' : `$${result.total.costUsd.toFixed(4)}`;
    pending +=
      (result.guardrail ? `\n\n> Guardrail: ${result.guardrail.summary}` : '') +
      (result.incomplete ? '\n\n> The answer was cut off. Run the question again to retry.' : '') +
      (sources.length ? `\n\n## Sources\n\n${sources.join('\n')}` : '') +
      `\n\n---\n_${u.inputTokens} input tokens, ${u.outputTokens} output tokens · ${(result.latencyMs / 1000).toFixed(1)} s · ${cost} · ${result.modelId}_\n`;
    await flush();
    deps.logger.info(`answered in ${result.latencyMs} ms with ${result.citations.length} citations`);
    return result;
  } catch (err) {
    clearInterval(timer);
    pending += `\n\n> Error: ${err instanceof Error ? err.message : String(err)}\n`;
    await flush();
    const s = session.settings;
    await showError(err, 'the question could not be answered', {
      logger: deps.logger,
      profile: s['aws.profile'] || undefined,
      region: (await session.ports()).region,
      retry: () => askIntoDocument(deps, question),
    });
    return undefined;
  }
}

async function searchCommand(deps: IndexCommandDeps, query?: string): Promise<SearchHit[] | undefined> {
  const q =
    query ??
    (await vscode.window.showInputBox({
      title: 'Search Docs',
      prompt: 'Words to look for (path:folder and type:md filter)',
      ignoreFocusOut: true,
    }));
  if (!q) return undefined;
  if (!(await ensureIndexed(deps))) return undefined;
  const session = deps.sessions.session;
  try {
    const { hits } = await searchDocs(q, await session.pipelineDeps(), { k: 20 });
    if (query !== undefined) return hits;
    const picked = await vscode.window.showQuickPick(
      hits.map((h) => ({
        label: h.chunk.breadcrumb.length ? formatBreadcrumb(h.chunk.breadcrumb) : h.chunk.title,
        description: `${h.chunk.path}:${h.chunk.startLine}-${h.chunk.endLine}`,
        detail: h.chunk.text.replace(/\s+/g, ' ').slice(0, 200),
        hit: h,
      })),
      { title: `Docs matching "${q}"`, matchOnDescription: true, matchOnDetail: true },
    );
    if (picked) await openSource(session, picked.hit.chunk.path, picked.hit.chunk.startLine, picked.hit.chunk.endLine);
    return hits;
  } catch (err) {
    await showError(err, 'search failed', { logger: deps.logger });
    return undefined;
  }
}

export function registerAskCommands(deps: IndexCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('bedrockDocs.ask', async (question?: unknown) => {
      const q =
        typeof question === 'string'
          ? question
          : await vscode.window.showInputBox({
              title: 'Ask the Docs',
              prompt: "Your question about this workspace's documentation",
              ignoreFocusOut: true,
            });
      if (!q?.trim()) return undefined;
      return askIntoDocument(deps, q.trim());
    }),
    vscode.commands.registerCommand('bedrockDocs.search', (query?: unknown) =>
      searchCommand(deps, typeof query === 'string' ? query : undefined),
    ),
  ];
}
