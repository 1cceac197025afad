/**
 * VS Code's own chat: an `@docs` participant answering from the same pipeline (with references to
 * the cited files), and the doc search as a language-model tool agent modes can call. Both are
 * feature-checked so the extension still runs on editors without these APIs (e.g. VSCodium builds
 * or code-server with chat disabled).
 */
import * as vscode from 'vscode';
import { formatBreadcrumb } from '../../core/chunk';
import { describeError, isCancellation } from '../../core/errors';
import type { PriorTurn } from '../../core/rag/followUp';
import { runQuestion, searchDocs } from '../../core/rag/questionPipeline';
import { toAbortSignal } from '../abortSignal';
import type { IndexCommandDeps } from '../commands/indexCommands';
import { ensureIndexed } from '../commands/indexCommands';

export const PARTICIPANT_ID = 'bedrockDocs.docs';
export const SEARCH_TOOL_NAME = 'bedrockDocs_searchDocs';

function priorTurns(history: ReadonlyArray<vscode.ChatRequestTurn | vscode.ChatResponseTurn>): PriorTurn[] {
  const turns: PriorTurn[] = [];
  for (let i = 0; i < history.length; i++) {
    const h = history[i];
    const next = history[i + 1];
    if (h instanceof vscode.ChatRequestTurn && next instanceof vscode.ChatResponseTurn) {
      const answer = next.response.map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join('');
      turns.push({ question: h.prompt, answer });
      i++;
    }
  }
  return turns;
}

/** Registers what the editor supports; returns the disposables (none where the APIs are missing). */
export function registerNativeChat(deps: IndexCommandDeps, extensionUri: vscode.Uri): vscode.Disposable[] {
  const out: vscode.Disposable[] = [];
  if (typeof vscode.chat?.createChatParticipant === 'function') {
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, context, stream, token) => {
      const signal = toAbortSignal(token);
      try {
        if (!(await ensureIndexed(deps))) {
          stream.markdown('The workspace is not indexed yet. Run **Bedrock Docs: Index Workspace**.');
          return {};
        }
        const session = deps.sessions.session;
        stream.progress('Searching the docs…');
        const result = await runQuestion({ question: request.prompt, history: priorTurns(context.history) }, await session.pipelineDeps(), {
          signal,
          onEvent: (e) => {
            if (e.type === 'delta') stream.markdown(e.text);
          },
        });
        for (const c of result.citations) {
          const uri = session.uriOf(c.path);
          if (uri) stream.reference(new vscode.Location(uri, new vscode.Range(c.startLine - 1, 0, c.endLine - 1, 0)));
        }
        if (result.incomplete) stream.markdown(`\n\n_The answer was cut off: ${describeError(result.error)}_`);
        return { metadata: { usage: result.total.usage, costUsd: result.total.costUsd, latencyMs: result.latencyMs } };
      } catch (err) {
        if (isCancellation(err)) return {};
        deps.logger.error(`@docs: ${describeError(err)}`);
        return { errorDetails: { message: describeError(err) } };
      }
    });
    participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    out.push(participant);
  }
  if (typeof vscode.lm?.registerTool === 'function') {
    out.push(
      vscode.lm.registerTool<{ query: string; k?: number }>(SEARCH_TOOL_NAME, {
        async invoke(options, token) {
          if (!(await ensureIndexed(deps)))
            return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart('The workspace documentation is not indexed.')]);
          const session = deps.sessions.session;
          const k = Math.min(20, Math.max(1, Number(options.input.k ?? 5)));
          const { hits } = await searchDocs(String(options.input.query ?? ''), await session.pipelineDeps(), {
            k,
            signal: toAbortSignal(token),
          });
          const body = hits
            .map(
              (h, i) =>
                `[${i + 1}] ${h.chunk.path}:${h.chunk.startLine}-${h.chunk.endLine}${h.chunk.breadcrumb.length ? ` (${formatBreadcrumb(h.chunk.breadcrumb)})` : ''}\n${h.chunk.text}`,
            )
            .join('\n\n---\n\n');
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(body || 'No matching documentation.')]);
        },
        prepareInvocation(options) {
          return { invocationMessage: `Searching the docs for "${String(options.input.query ?? '').slice(0, 80)}"` };
        },
      }),
    );
  }
  return out;
}
