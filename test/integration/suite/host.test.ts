import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('the extension host', () => {
  it('is a real VS Code Node extension host', () => {
    console.log(
      `[host] vscode.version=${vscode.version} node=${process.version} appHost=${vscode.env.appHost} uiKind=${vscode.env.uiKind}`,
    );
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    // A Node host (not the web worker host): process.versions.node exists and fs works.
    assert.ok(process.versions.node, 'expected the Node extension host');
    assert.equal(typeof vscode.commands.executeCommand, 'function');
  });

  it('has the fixture workspace open', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'run.sh opens exactly one folder');
    const docs = await vscode.workspace.findFiles('**/*.{md,markdown,txt,rst,adoc,html,htm,pdf}', undefined, 50);
    assert.ok(docs.length > 0, `no document in the workspace ${folders[0]?.uri.fsPath}`);
  });
});
