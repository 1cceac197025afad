/**
 * The extension side of one chat webview: validates every inbound message against the protocol,
 * runs questions through the core pipeline, streams the answer back, and keeps the conversation
 * in the store (folding each outbound message through the same reducer the webview uses).
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { actionsFor } from '../../core/errorActions';
import { BedrockDocsError, describeError, isCancellation } from '../../core/errors';
import type { SearchFilter } from '../../core/index/searchFilter';
import { runQuestion, searchDocs } from '../../core/rag/questionPipeline';
import type { Conversation, ErrorAction, Scope, ScopeOption, Source, Turn, TurnError } from '../../protocol/conversation';
import { titleFromQuestion } from '../../protocol/conversation';
import { applyToConversation, setTurnRating } from '../../protocol/conversationReducer';
import { conversationToMarkdown } from '../../protocol/exportMarkdown';
import type { ExtensionMessage, WebviewMessage } from '../../protocol/messages';
import { parseWebviewMessage, PROTOCOL_VERSION } from '../../protocol/messages';
import { openSource } from '../commands/askCommands';
import type { IndexCommandDeps } from '../commands/indexCommands';
import { ensureIndexed } from '../commands/indexCommands';
import { runErrorAction } from '../errorUi';
import type { ChatState } from './chatState';
import type { ConversationStore } from './conversationStore';

/** What a question brings besides its text: a selection or a file the user pointed at. */
export interface QuestionContext {
  label: string;
  text: string;
}

export interface ChatControllerDeps extends IndexCommandDeps {
  store: ConversationStore;
  state: ChatState;
}

const ACTION_LABELS: Record<ErrorAction['kind'], string> = {
  signInSso: 'Sign in with SSO',
  openSettings: 'Open Settings',
  openModelAccess: 'Open Model Access',
  retry: 'Retry',
};

/** An inline error for the chat, with the buttons that fix it. */
export function turnErrorOf(err: unknown): TurnError {
  const code = err instanceof BedrockDocsError ? err.code : 'UNKNOWN';
  const kinds = actionsFor(code).filter((a): a is ErrorAction['kind'] => a in ACTION_LABELS);
  return {
    code,
    message: err instanceof BedrockDocsError ? err.message : describeError(err),
    ...(err instanceof BedrockDocsError && err.hint ? { hint: err.hint } : {}),
    actions: kinds.map((kind) => ({
      kind,
      label: ACTION_LABELS[kind],
      ...(kind === 'openSettings' && code.startsWith('MODEL') ? { setting: 'bedrockDocs.chat.modelId' } : {}),
    })),
  };
}

export class ChatController implements vscode.Disposable {
  private conversation: Conversation | null = null;
  private readonly running = new Map<string, AbortController>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly webview: vscode.Webview,
    private readonly deps: ChatControllerDeps,
  ) {
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      deps.state.onDidChange(() => void this.post({ type: 'config/update', ...this.config() })),
    );
  }

  /** Handles one raw message from the webview; malformed or unknown ones are logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.logger.warn(`chat: rejected a webview message: ${parsed.reason}`);
      return;
    }
    try {
      await this.handle(parsed.value);
    } catch (err) {
      this.deps.logger.error(`chat: ${parsed.value.type} failed: ${describeError(err)}`);
    }
  }

  private async handle(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        if (m.protocolVersion !== PROTOCOL_VERSION)
          this.deps.logger.warn(`chat: webview protocol ${m.protocolVersion}, extension ${PROTOCOL_VERSION}`);
        await this.post({
          type: 'init',
          protocolVersion: PROTOCOL_VERSION,
          conversation: this.conversation,
          history: this.deps.store.list(),
          ...this.config(),
        });
        return;
      case 'chat/send':
        await this.runTurn(m.requestId, m.text, m.scope, m.modelId, m.agentMode);
        return;
      case 'chat/abort':
        this.running.get(m.requestId)?.abort();
        return;
      case 'chat/retry':
      case 'chat/edit': {
        const old = this.conversation?.turns.find((t) => t.id === m.turnId);
        const text = m.type === 'chat/edit' ? m.text : old?.question;
        if (!text) return;
        await this.runTurn(m.requestId, text, m.scope, m.modelId, m.agentMode, { replacesFromTurnId: m.turnId });
        return;
      }
      case 'chat/new':
        this.conversation = null;
        return;
      case 'chat/export': {
        const c = m.conversationId === this.conversation?.id ? this.conversation : this.deps.store.get(m.conversationId);
        if (!c) return;
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: conversationToMarkdown(c) });
        await vscode.window.showTextDocument(doc, { preview: false });
        return;
      }
      case 'history/open':
        this.conversation = this.deps.store.get(m.conversationId) ?? null;
        await this.post({ type: 'conversation/loaded', conversation: this.conversation });
        return;
      case 'history/delete':
        await this.deps.store.delete(m.conversationId);
        if (this.conversation?.id === m.conversationId) {
          this.conversation = null;
          await this.post({ type: 'conversation/loaded', conversation: null });
        }
        await this.post({ type: 'history/list', history: this.deps.store.list() });
        return;
      case 'history/clear':
        await this.deps.store.clear();
        this.conversation = null;
        await this.post({ type: 'conversation/loaded', conversation: null });
        await this.post({ type: 'history/list', history: [] });
        return;
      case 'source/open':
        await openSource(this.deps.sessions.session, m.path, m.startLine, m.endLine);
        return;
      case 'code/copy':
        await vscode.env.clipboard.writeText(m.code);
        return;
      case 'code/insert': {
        const editor = this.deps.state.lastTextEditor;
        if (!editor) {
          void vscode.window.showWarningMessage('Bedrock Docs: open a file to insert the code into.');
          return;
        }
        await editor.edit((b) => b.replace(editor.selection, m.code));
        return;
      }
      case 'code/newFile': {
        const doc = await vscode.workspace.openTextDocument({ language: m.languageId, content: m.code });
        await vscode.window.showTextDocument(doc, { preview: false });
        return;
      }
      case 'model/select':
        await this.deps.state.setModel(m.modelId);
        return;
      case 'scope/select':
        this.deps.state.setScope(m.scope);
        return;
      case 'scope/browse': {
        const folder = await this.deps.state.pickFolder();
        if (folder) this.deps.state.setScope({ kind: 'folder', path: folder });
        return;
      }
      case 'error/action': {
        const session = this.deps.sessions.session;
        const services = await session.ports();
        if (m.action.kind === 'openSettings' && m.action.setting) {
          await vscode.commands.executeCommand('workbench.action.openSettings', m.action.setting);
          return;
        }
        await runErrorAction(m.action.kind, {
          logger: this.deps.logger,
          profile: session.settings['aws.profile'] || undefined,
          region: services.region,
        });
        return;
      }
      case 'answer/rate':
        if (this.conversation) {
          this.conversation = setTurnRating(this.conversation, m.turnId, m.rating);
          if (this.conversation) await this.deps.store.put(this.conversation);
        }
        return;
      case 'agent/toggle':
        this.deps.state.setAgentMode(m.enabled);
        return;
    }
  }

  /**
   * Asks a question from outside the webview (editor commands): the turn appears in the chat as if
   * typed, with `context` (a selection, a file) sent along to the model.
   */
  async askFromCommand(
    question: string,
    options: { context?: QuestionContext; scope?: Scope; retrievalOnly?: boolean } = {},
  ): Promise<void> {
    await this.runTurn(randomUUID(), question, options.scope ?? this.deps.state.scope, this.deps.state.modelId, false, options);
  }

  private config() {
    return {
      models: this.deps.state.models(),
      currentModelId: this.deps.state.modelId,
      scopes: this.deps.state.scopes() as ScopeOption[],
      currentScope: this.deps.state.scope,
      agentMode: this.deps.state.agentMode,
    };
  }

  private async post(message: ExtensionMessage): Promise<void> {
    const next = applyToConversation(this.conversation, message);
    if (next !== this.conversation && message.type !== 'init' && message.type !== 'conversation/loaded') {
      this.conversation = next;
    }
    await this.webview.postMessage(message);
  }

  private filterOf(scope: Scope): { filter?: SearchFilter; resolved: Scope } {
    if (scope.kind === 'folder') return { filter: { pathPrefix: scope.path }, resolved: scope };
    if (scope.kind === 'currentFile') {
      const path = this.deps.state.currentFilePath();
      return path ? { filter: { pathPrefix: path }, resolved: { kind: 'currentFile', path } } : { resolved: { kind: 'all' } };
    }
    return { resolved: scope };
  }

  private async runTurn(
    requestId: string,
    question: string,
    scope: Scope,
    modelId: string,
    agentMode: boolean,
    options: { replacesFromTurnId?: string; context?: QuestionContext; retrievalOnly?: boolean } = {},
  ): Promise<void> {
    const controller = new AbortController();
    this.running.set(requestId, controller);
    const { filter, resolved } = this.filterOf(scope);
    const prior = (this.conversation?.turns ?? []).filter(
      (t) => t.status === 'done' && (!options.replacesFromTurnId || this.isBefore(t.id, options.replacesFromTurnId)),
    );
    const turn: Turn = {
      id: requestId,
      question,
      scope: resolved,
      modelId,
      agentMode,
      startedAt: Date.now(),
      status: 'streaming',
      answer: '',
      sources: [],
      steps: [],
    };
    const conversationId = this.conversation?.id ?? randomUUID();
    await this.post({
      type: 'chat/turnStart',
      requestId,
      conversationId,
      conversationTitle: this.conversation?.title || titleFromQuestion(question),
      turn,
      ...(options.replacesFromTurnId ? { replacesFromTurnId: options.replacesFromTurnId } : {}),
    });
    try {
      if (!(await ensureIndexed(this.deps)))
        throw new BedrockDocsError('NOT_INDEXED', 'The workspace is not indexed yet.', 'Run "Bedrock Docs: Index Workspace".');
      const session = this.deps.sessions.session;
      const deps = await session.pipelineDeps();
      if (options.retrievalOnly) {
        const { hits } = await searchDocs(question, deps, { filter, signal: controller.signal });
        await this.post({ type: 'chat/sources', requestId, sources: hits.map((h, i) => sourceOf(i + 1, h.chunk)) });
        const list = hits
          .map(
            (h, i) => `${i + 1}. [${i + 1}] ${h.chunk.breadcrumb.join(' › ') || h.chunk.title} — \`${h.chunk.path}:${h.chunk.startLine}\``,
          )
          .join('\n');
        await this.post({
          type: 'chat/chunk',
          requestId,
          text: hits.length ? `Related documentation:\n\n${list}` : 'No related documentation found.',
        });
        await this.post({
          type: 'chat/done',
          requestId,
          usage: null,
          latencyMs: Date.now() - turn.startedAt,
          costUsd: 0,
          incomplete: false,
        });
        return;
      }
      const result = await runQuestion(
        {
          question,
          history: prior.map((t) => ({ question: t.question, answer: t.answer })),
          ...(options.context ? { context: options.context } : {}),
          ...(filter ? { filter } : {}),
          modelId,
          agent: agentMode,
        },
        deps,
        {
          signal: controller.signal,
          onEvent: (e) => {
            if (e.type === 'sources')
              void this.post({ type: 'chat/sources', requestId, sources: e.sources.map((s) => sourceOf(s.n, s.chunk)) });
            else if (e.type === 'delta') void this.post({ type: 'chat/chunk', requestId, text: e.text });
            else if (e.type === 'step')
              void this.post({
                type: 'chat/step',
                requestId,
                step: { id: e.step.id, tool: e.step.tool, input: e.step.input, resultChars: e.step.resultChars },
              });
          },
        },
      );
      if (result.guardrail)
        await this.post({
          type: 'chat/guardrail',
          requestId,
          guardrail: { summary: result.guardrail.summary, policies: result.guardrail.policies },
        });
      if (result.incomplete) {
        await this.post({ type: 'chat/error', requestId, error: turnErrorOf(result.error) });
      } else {
        const dropped = result.contextBudget.droppedChunks + result.contextBudget.droppedTurns;
        await this.post({
          type: 'chat/done',
          requestId,
          // The whole question: condensing, expansion, embeddings, rerank and the answer, as metered.
          usage: result.total.usage,
          latencyMs: result.latencyMs,
          costUsd: result.total.costUsd,
          incomplete: result.stopReason === 'max_tokens',
          ...(result.stopReason === 'max_tokens'
            ? { incompleteReason: `Reached the ${session.settings['chat.maxTokens']}-token answer limit (bedrockDocs.chat.maxTokens)` }
            : {}),
          ...(dropped ? { contextDropped: { chunks: result.contextBudget.droppedChunks, turns: result.contextBudget.droppedTurns } } : {}),
        });
      }
    } catch (err) {
      if (isCancellation(err) || controller.signal.aborted) {
        await this.post({
          type: 'chat/done',
          requestId,
          usage: null,
          latencyMs: Date.now() - turn.startedAt,
          costUsd: null,
          incomplete: false,
          cancelled: true,
        });
      } else {
        this.deps.logger.error(`chat: ${describeError(err)}`);
        await this.post({ type: 'chat/error', requestId, error: turnErrorOf(err) });
      }
    } finally {
      this.running.delete(requestId);
      if (this.conversation) await this.deps.store.put(this.conversation);
      await this.post({ type: 'history/list', history: this.deps.store.list() });
    }
  }

  private isBefore(turnId: string, otherId: string): boolean {
    const turns = this.conversation?.turns ?? [];
    return turns.findIndex((t) => t.id === turnId) < turns.findIndex((t) => t.id === otherId);
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    for (const d of this.disposables) d.dispose();
  }
}

function sourceOf(n: number, chunk: { path: string; startLine: number; endLine: number; breadcrumb: string[]; title: string }): Source {
  return {
    n,
    path: chunk.path,
    startLine: chunk.startLine,
    endLine: Math.max(chunk.startLine, chunk.endLine),
    breadcrumb: chunk.breadcrumb,
    title: chunk.title,
  };
}
