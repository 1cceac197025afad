/**
 * Preview Redaction (what would be replaced in the current file before it leaves the machine) and
 * Check Text with Guardrail (ApplyGuardrail on the selection or an input).
 */
import * as vscode from 'vscode';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import { guardrailFromSettings } from '../../core/rag/askRequest';
import { summarizeApplyGuardrail } from '../../core/safety/guardrailTrace';
import { showError } from '../errorUi';
import type { SessionManager } from '../sessionManager';

export function registerSafetyCommands(sessions: SessionManager, logger: Logger): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('bedrockDocs.previewRedaction', async (uri?: vscode.Uri) => {
      const doc = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!doc) {
        void vscode.window.showWarningMessage('Bedrock Docs: open a file to preview what would be redacted.');
        return undefined;
      }
      await sessions.session.stack.meter.ready();
      const redactor = sessions.session.stack.redactor();
      const text = doc.getText();
      const findings = redactor.findings(text);
      const rel = vscode.workspace.asRelativePath(doc.uri, false);
      const rows = findings.map((f) => `| ${f.line}:${f.column} | ${f.category} | \`${f.placeholder}\` |`);
      const report = [
        `# Redaction preview: ${rel}`,
        '',
        findings.length
          ? `${findings.length} spans would be replaced before this file's text is sent to Bedrock (embeddings or prompts). The values themselves are not shown here.`
          : 'Nothing in this file would be redacted with the current `bedrockDocs.redaction.*` settings.',
        '',
        ...(rows.length ? ['| Line:column | Category | Placeholder |', '| --- | --- | --- |', ...rows, ''] : []),
        '## Text as it would be sent',
        '',
        '````text',
        redactor.redact(text),
        '````',
      ].join('\n');
      const preview = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
      await vscode.window.showTextDocument(preview, { preview: true, viewColumn: vscode.ViewColumn.Beside });
      return findings;
    }),
    vscode.commands.registerCommand('bedrockDocs.checkGuardrail', async (input?: unknown) => {
      const session = sessions.session;
      const guardrail = guardrailFromSettings(session.settings);
      if (!guardrail) {
        const pick = await vscode.window.showWarningMessage(
          'Bedrock Docs: no guardrail is configured (bedrockDocs.guardrail.id).',
          'Open Settings',
        );
        if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'bedrockDocs.guardrail');
        return undefined;
      }
      const editor = vscode.window.activeTextEditor;
      const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
      const text =
        typeof input === 'string'
          ? input
          : (selected ??
            (await vscode.window.showInputBox({
              title: 'Check text with the guardrail',
              prompt: 'Text to check (the selection is used when there is one)',
              ignoreFocusOut: true,
            })));
      if (!text) return undefined;
      try {
        const { guardrail: checker } = await session.ports();
        const response = await checker.apply({ guardrail, source: 'INPUT', content: [{ text }] }, { purpose: 'guardrail' });
        const result = {
          ...summarizeApplyGuardrail(response, 'INPUT'),
          ...(response.outputs.length ? { outputText: response.outputs.join('') } : {}),
        };
        logger.info(`guardrail check: ${result.summary}`);
        void vscode.window.showInformationMessage(`Bedrock Docs guardrail: ${result.summary}`);
        return result;
      } catch (err) {
        await showError(err, 'the guardrail check failed', { logger });
        logger.debug(describeError(err));
        return undefined;
      }
    }),
  ];
}
