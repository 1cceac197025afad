/**
 * What every chat view shares: the model and scope pickers, agent mode, and the editor the user
 * was last in (for "insert at cursor" and the current-file scope). Picks persist in workspace state.
 */
import * as vscode from 'vscode';
import type { ModelOption, Scope, ScopeOption } from '../../protocol/conversation';
import type { SessionManager } from '../sessionManager';

const MODEL_KEY = 'bedrockDocs.chat.pickedModel';
const SCOPE_KEY = 'bedrockDocs.chat.pickedScope';
const AGENT_KEY = 'bedrockDocs.chat.agentMode';

/** Well-known chat models offered in the picker besides the configured one. */
const SUGGESTED_MODELS: ModelOption[] = [
  { id: 'global.anthropic.claude-haiku-4-5-20251001-v1:0', label: 'Claude Haiku 4.5', description: 'global profile' },
  { id: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', label: 'Claude Sonnet 4.5', description: 'global profile' },
  { id: 'us.amazon.nova-pro-v1:0', label: 'Amazon Nova Pro', description: 'US profile' },
  { id: 'us.amazon.nova-lite-v1:0', label: 'Amazon Nova Lite', description: 'US profile' },
];

export class ChatState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly sessions: SessionManager,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e) this.editor = e;
      }),
      sessions.onDidChangeSession(() => this.changed.fire()),
    );
  }

  /** The text editor the user was last in (a webview has focus while they click in the chat). */
  get lastTextEditor(): vscode.TextEditor | undefined {
    return vscode.window.activeTextEditor ?? (this.editor && !this.editor.document.isClosed ? this.editor : undefined);
  }

  get modelId(): string {
    return this.memento.get<string>(MODEL_KEY) ?? this.sessions.session.settings['chat.modelId'];
  }

  models(): ModelOption[] {
    const configured = this.sessions.session.settings['chat.modelId'];
    const list = [
      { id: configured, label: configured, description: 'from settings' },
      ...SUGGESTED_MODELS.filter((m) => m.id !== configured),
    ];
    const picked = this.memento.get<string>(MODEL_KEY);
    if (picked && !list.some((m) => m.id === picked)) list.push({ id: picked, label: picked, description: 'picked' });
    return list;
  }

  async setModel(modelId: string): Promise<void> {
    await this.memento.update(MODEL_KEY, modelId === this.sessions.session.settings['chat.modelId'] ? undefined : modelId);
    this.changed.fire();
  }

  get scope(): Scope {
    return this.memento.get<Scope>(SCOPE_KEY) ?? { kind: 'all' };
  }

  scopes(): ScopeOption[] {
    const options: ScopeOption[] = [
      { id: 'all', label: 'All docs', scope: { kind: 'all' } },
      { id: 'currentFile', label: 'Current file', scope: { kind: 'currentFile' } },
    ];
    const s = this.scope;
    if (s.kind === 'folder') options.push({ id: `folder:${s.path}`, label: `Folder: ${s.path}`, scope: s });
    return options;
  }

  setScope(scope: Scope): void {
    void this.memento.update(SCOPE_KEY, scope);
    this.changed.fire();
  }

  get agentMode(): boolean {
    return this.memento.get<boolean>(AGENT_KEY) ?? false;
  }

  setAgentMode(enabled: boolean): void {
    void this.memento.update(AGENT_KEY, enabled);
    this.changed.fire();
  }

  /** The active editor's file as an index path, when it is inside the workspace. */
  currentFilePath(): string | undefined {
    const doc = this.lastTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file') return undefined;
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!folder) return undefined;
    const rel = vscode.workspace.asRelativePath(doc.uri, false).replace(/\\/g, '/');
    return folders.length > 1 ? `${folder.name}/${rel.startsWith(folder.name + '/') ? rel.slice(folder.name.length + 1) : rel}` : rel;
  }

  /** A folder picker limited to the workspace; returns the folder as an index path prefix. */
  async pickFolder(): Promise<string | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: folders[0]?.uri,
      openLabel: 'Search this folder',
    });
    const uri = picked?.[0];
    if (!uri || !vscode.workspace.getWorkspaceFolder(uri)) return undefined;
    const rel = vscode.workspace.asRelativePath(uri, folders.length > 1).replace(/\\/g, '/');
    return rel === uri.fsPath ? undefined : rel;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
