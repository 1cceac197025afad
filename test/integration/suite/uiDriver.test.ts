import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { uiStep, UI_TAG } from '../uiBridge';

/** A webview made by the test itself, so the driver's webview path is proven before the chat view exists. */
function probeHtml(webview: vscode.Webview): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:16px}
input,button{font:inherit;margin:4px 0}#probe-ack{margin-top:8px;color:var(--vscode-textLink-foreground)}</style></head>
<body><h2>Harness probe</h2><input id="probe-input" placeholder="type here"><button id="probe-send">Send</button>
<div id="probe-ack"></div>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('probe-send').addEventListener('click', () => {
  vscode.postMessage({ type: 'probe/send', text: document.getElementById('probe-input').value });
});
window.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'probe/ack') document.getElementById('probe-ack').textContent = 'extension got: ' + e.data.text;
});
</script></body></html>`;
}

describe(`the UI driver ${UI_TAG}`, () => {
  it('runs a command from the command palette', async function () {
    this.timeout(90_000);
    const opened = new Promise<vscode.TextDocument>((resolve) => {
      const sub = vscode.workspace.onDidOpenTextDocument((doc) => {
        if (doc.uri.scheme === 'untitled') {
          sub.dispose();
          resolve(doc);
        }
      });
    });
    await uiStep('palette', { title: 'File: New Untitled Text File' });
    const doc = await opened;
    assert.equal(doc.uri.scheme, 'untitled');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('types and clicks inside a webview, and the message reaches the extension host', async function () {
    this.timeout(90_000);
    const panel = vscode.window.createWebviewPanel('bedrockDocs.harnessProbe', 'Harness probe', vscode.ViewColumn.One, {
      enableScripts: true,
      localResourceRoots: [],
    });
    try {
      const received = new Promise<string>((resolve) => {
        panel.webview.onDidReceiveMessage((msg: { type?: string; text?: string }) => {
          if (msg.type === 'probe/send' && typeof msg.text === 'string') {
            void panel.webview.postMessage({ type: 'probe/ack', text: msg.text });
            resolve(msg.text);
          }
        });
      });
      panel.webview.html = probeHtml(panel.webview);
      const text = `hello from the driver ${Date.now()}`;
      const shown = await uiStep('webviewProbe', { text, screenshot: 'webview-probe' });
      assert.equal(await received, text);
      assert.equal(shown, `extension got: ${text}`, 'the ack posted by the extension is what the webview shows');
    } finally {
      panel.dispose();
    }
  });
});
