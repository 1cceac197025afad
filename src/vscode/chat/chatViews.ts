/**
 * The chat in its activity-bar view and as an editor panel. Both load the same bundle with a
 * strict CSP (nonce from node:crypto, resources only from media/) and get a ChatController.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderWebviewHtml } from '../webviewHtml';
import type { ChatControllerDeps } from './chatController';
import { ChatController } from './chatController';

export const CHAT_VIEW_ID = 'bedrockDocs.chatView';

function configureWebview(webview: vscode.Webview, extensionUri: vscode.Uri): void {
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
  webview.html = renderWebviewHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.css')).toString(),
    codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'codicon.css')).toString(),
    title: 'Bedrock Docs Chat',
  });
}

/** Owns the chat surfaces; `active()` is the controller editor commands send questions to. */
export class ChatViews implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: { webview: vscode.Webview; controller: ChatController; reveal: () => void } | undefined;
  private panel: { panel: vscode.WebviewPanel; controller: ChatController } | undefined;
  private viewReady: Promise<void> | undefined;
  private resolveViewReady: (() => void) | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: ChatControllerDeps,
  ) {}

  resolveWebviewView(webviewView: vscode.WebviewView): void {
    configureWebview(webviewView.webview, this.extensionUri);
    const controller = new ChatController(webviewView.webview, this.deps);
    this.view = { webview: webviewView.webview, controller, reveal: () => webviewView.show(true) };
    webviewView.onDidDispose(() => {
      controller.dispose();
      this.view = undefined;
    });
    this.resolveViewReady?.();
  }

  /** Opens (or focuses) the chat as an editor panel. */
  openPanel(): ChatController {
    if (this.panel) {
      this.panel.panel.reveal();
      return this.panel.controller;
    }
    const panel = vscode.window.createWebviewPanel('bedrockDocs.chatPanel', 'Bedrock Docs Chat', vscode.ViewColumn.Beside, {
      retainContextWhenHidden: true,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    configureWebview(panel.webview, this.extensionUri);
    const controller = new ChatController(panel.webview, this.deps);
    this.panel = { panel, controller };
    panel.onDidDispose(() => {
      controller.dispose();
      this.panel = undefined;
    });
    return controller;
  }

  /** Reveals the sidebar chat and resolves with its controller once the view exists. */
  async showView(): Promise<ChatController> {
    if (this.panel?.panel.visible) return this.panel.controller;
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    if (!this.view) {
      this.viewReady ??= new Promise((resolve) => (this.resolveViewReady = resolve));
      await this.viewReady;
    }
    return this.view!.controller;
  }

  /** The controller of the surface last opened (for tests and commands). */
  get current(): ChatController | undefined {
    return this.panel?.controller ?? this.view?.controller;
  }

  dispose(): void {
    this.view?.controller.dispose();
    this.panel?.panel.dispose();
  }
}
