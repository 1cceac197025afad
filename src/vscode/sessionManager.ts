/**
 * Owns the current DocsSession. A settings change (or a grant of workspace trust, which changes
 * what the workspace may set) is applied in place and rebuilds only what it touches; a change of
 * workspace folders replaces the session. Either way a new setting takes effect without a reload.
 */
import * as vscode from 'vscode';
import type { CallMeterHost } from '../core/metering/callMeter';
import type { Logger } from '../core/ports';
import { DocsSession } from './docsSession';
import { affectsOurSettings, readExtensionSettings } from './settingsReader';

export class SessionManager implements vscode.Disposable {
  private current: DocsSession | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<DocsSession>();
  /** Fires with the new session after a rebuild. */
  readonly onDidChangeSession = this.changed.event;
  private apiKey: string | undefined;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly logger: Logger,
    private readonly meterHost: CallMeterHost,
  ) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsOurSettings(e)) this.applySettings('settings changed');
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rebuild('workspace folders changed')),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.applySettings('workspace trusted')),
    );
  }

  /** The session for the current settings (created on first use). */
  get session(): DocsSession {
    if (!this.current) this.current = this.create();
    return this.current;
  }

  /** Whether a session exists yet (activation stays cheap until one is needed). */
  get started(): boolean {
    return this.current !== undefined;
  }

  /** Sets the Bedrock API key (from SecretStorage); the clients are rebuilt on next use. */
  setApiKey(apiKey: string | undefined): void {
    this.apiKey = apiKey;
    this.current?.stack.apiKeyChanged();
    if (this.current) this.changed.fire(this.current);
  }

  /** Applies the current settings to the session in place; logs what had to be rebuilt. */
  applySettings(reason: string): void {
    if (!this.current) return;
    const { settings, problems } = readExtensionSettings();
    for (const p of problems) this.logger.warn(p.message);
    const rebuilt = this.current.update(settings);
    this.logger.info(`${reason}: ${rebuilt.length ? `rebuilt ${rebuilt.join(', ')}` : 'nothing to rebuild'}`);
    this.changed.fire(this.current);
  }

  rebuild(reason: string): void {
    if (!this.current) return;
    this.logger.info(`rebuilding the session: ${reason}`);
    this.current.dispose();
    this.current = this.create();
    this.changed.fire(this.current);
  }

  private create(): DocsSession {
    const { settings, problems } = readExtensionSettings();
    for (const p of problems) this.logger.warn(p.message);
    const storage = this.extension.storageUri ? vscode.Uri.joinPath(this.extension.storageUri, 'index').fsPath : undefined;
    const ingestWorkerPath = vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'ingestWorker.js').fsPath;
    return new DocsSession(settings, vscode.workspace.workspaceFolders ?? [], {
      storageDir: storage,
      logger: this.logger,
      apiKey: () => this.apiKey,
      ingestWorkerPath,
      meterHost: this.meterHost,
      saltDir: this.extension.globalStorageUri.fsPath,
    });
  }

  dispose(): void {
    this.current?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
