/**
 * The extension as a user meets it, inside the real VS Code host, against the fake Bedrock on
 * 127.0.0.1: index with progress, search, ask with citations, settings live, untrusted workspace,
 * missing credentials, every command, and the chat view end to end (driven in the browser).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BedrockDocsTestingApi } from '../../../src/extension';
import type { SyncReport } from '../../../src/core/indexer';
import type { SearchHit } from '../../../src/core/index/hybridIndex';
import type { AnswerResult } from '../../../src/core/rag/ask';
import { readExtensionSettings } from '../../../src/vscode/settingsReader';
import { startFakeBedrock } from '../../fakes/fakeBedrock';
import { useFakeBedrock } from '../fakeBedrockHost';
import { extensionUnderTest } from '../hostState';
import { uiStep, UI_TAG } from '../uiBridge';

const fake = useFakeBedrock(startFakeBedrock);

async function api(): Promise<BedrockDocsTestingApi['testing']> {
  const ext = extensionUnderTest();
  const exported = (await ext.activate()) as BedrockDocsTestingApi;
  return exported.testing;
}

function folderUri(path: string): vscode.Uri {
  const root = vscode.workspace.workspaceFolders![0]!.uri;
  return vscode.Uri.joinPath(root, ...path.split('/'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Closes every editor without a save prompt (answers open untitled Markdown documents). */
async function closeAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('Bedrock Docs flows in VS Code', function () {
  this.timeout(120_000);

  it('indexes the workspace with progress, and the index answers searches', async () => {
    const t = await api();
    const before = t.status.progressUpdates;
    const report = (await vscode.commands.executeCommand('bedrockDocs.indexWorkspace')) as SyncReport;
    assert.ok(report, 'the command returns its report');
    assert.ok(report.files >= 7, `files: ${report.files}`);
    assert.ok(report.chunks > 10, `chunks: ${report.chunks}`);
    assert.ok(report.vectors > 0, 'chunks were embedded through the fake');
    assert.ok(t.status.progressUpdates > before, 'progress was reported');
    assert.match(t.status.text, /chunks/);
    const skipped = new Map(report.skipped.map((s) => [s.path, s.reason]));
    assert.match(skipped.get('bad/binary.md') ?? '', /binary/);
    assert.match(skipped.get('bad/fake.pdf') ?? '', /PDF/);
    assert.equal(skipped.get('specs/overview.pdf'), undefined, 'a real PDF is read (in the worker thread)');
    const pdfHits = (await vscode.commands.executeCommand('bedrockDocs.search', 'concurrent connections page')) as SearchHit[];
    assert.ok(
      pdfHits.some((h) => h.chunk.path === 'specs/overview.pdf' && h.chunk.page !== undefined),
      'PDF chunks are searchable, with their page',
    );
    const embeds = fake().requests.filter((r) => r.operation === 'InvokeModel');
    assert.ok(embeds.length > 0 && embeds.every((r) => r.signature.valid));
    const hits = (await vscode.commands.executeCommand('bedrockDocs.search', 'which port does the proxy listen on')) as SearchHit[];
    assert.equal(hits[0]?.chunk.path, 'guide/setup.md');
  });

  it('updates the index when a file is created, changed or deleted', async () => {
    const uri = folderUri('guide/zebra.md');
    const find = async (word: string) =>
      ((await vscode.commands.executeCommand('bedrockDocs.search', word)) as SearchHit[]).some((h) => h.chunk.path === 'guide/zebra.md');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('# Zebra\n\nThe quokkafish setting tunes the gateway.\n'));
    try {
      await waitFor('the new file in the index', async () => (await find('quokkafish')) || undefined);
      await vscode.workspace.fs.writeFile(uri, Buffer.from('# Zebra\n\nThe narwhalbird setting replaces it.\n'));
      await waitFor('the edit in the index', async () => ((await find('narwhalbird')) && !(await find('quokkafish'))) || undefined);
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
    await waitFor('the deletion in the index', async () => !(await find('narwhalbird')) || undefined);
  });

  it('answers a question with citations that map to file and lines', async () => {
    fake().script.reply({ text: 'The proxy listens on port 3128 [1].' });
    const result = (await vscode.commands.executeCommand('bedrockDocs.ask', 'Which port does the proxy listen on?')) as AnswerResult;
    assert.ok(result, 'an answer');
    assert.match(result.answer, /3128 \[1\]/);
    assert.equal(result.citations[0]?.path, 'guide/setup.md');
    assert.ok(result.usage.inputTokens > 0);
    const doc = await waitFor('the answer document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'untitled' && d.getText().includes('## Sources')),
    );
    assert.match(doc.getText(), /guide\/setup\.md:\d+-\d+/);
    await closeAll();
  });

  it('shows session usage and cost in the status bar after a question', async () => {
    const t = await api();
    fake().script.reply({ text: 'Port 3128 [1].' });
    const before = t.usage.statusBar.text;
    const result = (await vscode.commands.executeCommand('bedrockDocs.ask', 'proxy port please?')) as AnswerResult;
    assert.ok(result.usage.inputTokens > 0);
    const text = await waitFor('the status bar to update', () => (t.usage.statusBar.text !== before ? t.usage.statusBar.text : undefined));
    assert.match(text, /\$\d/, `a cost in dollars: ${text}`);
    assert.match(t.usage.statusBar.tooltipMarkdown, /claude-haiku-4-5|Claude Haiku 4\.5/, 'the tooltip breaks usage down by model');
    await closeAll();
  });

  it('previews redaction and checks text with the guardrail (ApplyGuardrail)', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: '# Keys\n\nUse AKIAZX7QWERTYUIOP123 and write to ops.lead@acme-corp.io.\n',
    });
    await vscode.window.showTextDocument(doc);
    const findings = (await vscode.commands.executeCommand('bedrockDocs.previewRedaction')) as Array<{ category: string; line: number }>;
    assert.deepEqual(findings.map((f) => f.category).sort(), ['awsAccessKey', 'email']);
    const preview = vscode.window.activeTextEditor!.document.getText();
    assert.ok(
      !preview.includes('AKIAZX7QWERTYUIOP123') && /\[EMAIL_[0-9a-f]{6}\]/.test(preview),
      'the preview shows placeholders, never the values',
    );
    await closeAll();
    const config = vscode.workspace.getConfiguration('bedrockDocs');
    await config.update('guardrail.id', 'gr-host-test', vscode.ConfigurationTarget.Workspace);
    try {
      fake().script.guardrail({
        action: 'GUARDRAIL_INTERVENED',
        outputs: ['Blocked.'],
        assessments: [{ contentPolicy: { filters: [{ type: 'VIOLENCE', confidence: 'HIGH', action: 'BLOCKED' }] } }],
      });
      const result = (await vscode.commands.executeCommand('bedrockDocs.checkGuardrail', 'some text to check')) as {
        intervened: boolean;
        summary: string;
      };
      await vscode.commands.executeCommand('notifications.clearAll');
      assert.equal(result.intervened, true);
      assert.match(result.summary, /VIOLENCE/);
      const call = fake()
        .requests.filter((r) => r.operation === 'ApplyGuardrail')
        .at(-1);
      assert.equal(call?.guardrail?.id, 'gr-host-test');
      assert.ok(call?.signature.valid);
    } finally {
      await config.update('guardrail.id', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('applies a settings change without a reload', async () => {
    const config = vscode.workspace.getConfiguration('bedrockDocs');
    await config.update('chat.modelId', 'us.amazon.nova-lite-v1:0', vscode.ConfigurationTarget.Workspace);
    try {
      fake().script.reply({ text: 'Port 3128 [1].' });
      await vscode.commands.executeCommand('bedrockDocs.ask', 'proxy port?');
      const last = fake()
        .requests.filter((r) => r.operation === 'ConverseStream')
        .at(-1);
      assert.equal(last?.modelId, 'us.amazon.nova-lite-v1:0');
    } finally {
      await config.update('chat.modelId', undefined, vscode.ConfigurationTarget.Workspace);
      await closeAll();
    }
  });

  it('ignores workspace values of restricted settings in an untrusted workspace', async () => {
    const config = vscode.workspace.getConfiguration('bedrockDocs');
    await config.update('aws.endpoint', 'https://bedrock.attacker.example', vscode.ConfigurationTarget.Workspace);
    await config.update('retrieval.topK', 3, vscode.ConfigurationTarget.Workspace);
    try {
      const untrusted = readExtensionSettings(undefined, false).settings;
      const trusted = readExtensionSettings(undefined, true).settings;
      assert.equal(untrusted['aws.endpoint'], '', 'an untrusted workspace cannot redirect the endpoint');
      assert.equal(trusted['aws.endpoint'], 'https://bedrock.attacker.example');
      assert.equal(untrusted['retrieval.topK'], 3, 'harmless settings still apply');
      const restricted = (
        extensionUnderTest().packageJSON as {
          capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
        }
      ).capabilities.untrustedWorkspaces;
      assert.equal(restricted.supported, 'limited');
      assert.ok(restricted.restrictedConfigurations.includes('bedrockDocs.aws.endpoint'));
    } finally {
      await config.update('aws.endpoint', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('retrieval.topK', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('shows the actionable message when AWS credentials are missing', async () => {
    const t = await api();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_SESSION_TOKEN;
    t.sessions.rebuild('test: no credentials');
    try {
      const count = t.shownErrors.length;
      const answer = vscode.commands.executeCommand('bedrockDocs.ask', 'proxy port?');
      const shown = await waitFor('an error notification', () => t.shownErrors[count]);
      assert.match(shown.message, /credentials/i);
      assert.ok(shown.actions.includes('Open Settings'), `actions: ${shown.actions.join(', ')}`);
      await vscode.commands.executeCommand('notifications.clearAll');
      assert.equal(await answer, undefined);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.token) process.env.AWS_SESSION_TOKEN = saved.token;
      t.sessions.rebuild('test: credentials back');
      await closeAll();
    }
  });

  it('runs every contributed command without throwing', async () => {
    const commands = (
      extensionUnderTest().packageJSON as { contributes: { commands: Array<{ command: string }> } }
    ).contributes.commands.map((c) => c.command);
    const editor = await vscode.window.showTextDocument(folderUri('guide/setup.md'));
    editor.selection = new vscode.Selection(10, 0, 12, 0);
    for (const id of commands) {
      if (id === 'bedrockDocs.clearIndex') continue; // last, so the others have an index
      const run = Promise.resolve(vscode.commands.executeCommand(id));
      // Commands that ask for input wait on a quick input: dismiss it as a user pressing Escape would.
      const settled = await Promise.race([run.then(() => true), sleep(1500).then(() => false)]);
      if (!settled) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await vscode.commands.executeCommand('notifications.clearAll');
      }
      await run;
      await vscode.window.showTextDocument(editor.document);
    }
    assert.equal(await vscode.commands.executeCommand('bedrockDocs.clearIndex'), true);
    await closeAll();
  });

  it(`chats in the view: streamed answer, citation click opens the file at the lines ${UI_TAG}`, async () => {
    const t = await api();
    await vscode.commands.executeCommand('bedrockDocs.indexWorkspace');
    await closeAll();
    fake().script.reply({ text: 'The proxy listens on **port 3128** [1].\n\n```toml\n[proxy]\nport = 3128\n```' });
    await vscode.commands.executeCommand('bedrockDocs.openChat');
    await waitFor('the chat view', () => t.views.current);
    const shown = (await uiStep('chatAsk', {
      question: 'Which port does the proxy listen on?',
      expect: '3128',
      screenshot: 'chat-answer',
    })) as string;
    assert.match(shown, /port 3128/);
    const editor = await waitFor('the cited file to open', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.path.endsWith('guide/setup.md') ? e : undefined;
    });
    assert.ok(editor.selection.start.line >= 0 && !editor.selection.isEmpty, 'the cited lines are selected');
  });
});
