/**
 * Evaluate (an eval set through retrieval and, optionally, answers: metrics as a Markdown report),
 * Compare Models (one question, two models, same sources, side by side) and Export Fine-Tuning Data
 * (thumbs-up answers as Bedrock conversation JSONL, redacted).
 */
import * as vscode from 'vscode';
import { buildEvalReport } from '../../core/eval/evalReport';
import { parseEvalSet } from '../../core/eval/evalSet';
import { formatEvalTable } from '../../core/eval/formatEvalTable';
import { exportFineTuning } from '../../core/finetune/exportFineTuning';
import { SYSTEM_PROMPT } from '../../core/rag/prompt';
import { compareQuestion, evaluateSet } from '../../core/rag/questionPipeline';
import { toAbortSignal } from '../abortSignal';
import type { ChatState } from '../chat/chatState';
import type { ConversationStore } from '../chat/conversationStore';
import { showError } from '../errorUi';
import type { IndexCommandDeps } from './indexCommands';
import { ensureIndexed } from './indexCommands';

async function showMarkdown(content: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc, { preview: false });
}

export function registerEvalCommands(deps: IndexCommandDeps, state: ChatState, store: ConversationStore): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('bedrockDocs.evaluate', async (file?: vscode.Uri, mode?: 'retrieval' | 'answers') => {
      const target =
        file instanceof vscode.Uri
          ? file
          : (
              await vscode.window.showOpenDialog({
                title: 'Eval set (JSONL of {question, reference_answer?, relevant})',
                filters: { 'JSON Lines': ['jsonl'] },
                canSelectMany: false,
              })
            )?.[0];
      if (!target) return undefined;
      const how =
        mode ??
        (
          await vscode.window.showQuickPick(
            [
              { label: 'Retrieval only', value: 'retrieval' as const, description: 'recall, MRR, nDCG: no model calls' },
              {
                label: 'Retrieval and answers',
                value: 'answers' as const,
                description: 'also ROUGE-L, BLEU, citation precision, tokens and cost',
              },
            ],
            { title: 'Evaluate' },
          )
        )?.value;
      if (!how || !(await ensureIndexed(deps))) return undefined;
      try {
        const items = parseEvalSet(
          new TextDecoder().decode(await vscode.workspace.fs.readFile(target)),
          vscode.workspace.asRelativePath(target),
        );
        const session = deps.sessions.session;
        const pipeline = await session.pipelineDeps();
        const mode = session.settings['retrieval.mode'];
        const { runs } = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Bedrock Docs: evaluating', cancellable: true },
          (progress, token) =>
            evaluateSet(items, pipeline, {
              retrievalOnly: how === 'retrieval',
              mode,
              modelId: state.modelId,
              signal: toAbortSignal(token),
              onProgress: (done, total) => progress.report({ message: `${done}/${total}`, increment: 100 / total }),
            }),
        );
        const report = buildEvalReport(runs, { k: 5 });
        await showMarkdown(
          `# Evaluation: ${vscode.workspace.asRelativePath(target)}\n\n\`\`\`text\n${formatEvalTable(report, { perQuestion: true, runName: `bedrock-docs (${mode})` })}\n\`\`\`\n`,
        );
        return report;
      } catch (err) {
        await showError(err, 'the evaluation failed', { logger: deps.logger });
        return undefined;
      }
    }),
    vscode.commands.registerCommand('bedrockDocs.compareModels', async (question?: unknown, models?: unknown) => {
      const q =
        typeof question === 'string'
          ? question
          : await vscode.window.showInputBox({
              title: 'Compare models',
              prompt: 'The question both models answer from the same sources',
              ignoreFocusOut: true,
            });
      if (!q) return undefined;
      const picked = Array.isArray(models)
        ? (models as string[])
        : (
            await vscode.window.showQuickPick(
              state.models().map((m) => ({ label: m.label, description: m.id, id: m.id })),
              { title: 'Pick two or more models', canPickMany: true },
            )
          )?.map((m) => m.id);
      if (!picked || picked.length < 2 || !(await ensureIndexed(deps))) return undefined;
      try {
        const session = deps.sessions.session;
        const pipeline = await session.pipelineDeps();
        const comparison = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Bedrock Docs: comparing models', cancellable: true },
          (_p, token) => compareQuestion({ question: q }, picked, pipeline, { signal: toAbortSignal(token) }),
        );
        const columns = comparison.variants.map((v) => {
          const cost = v.costUsd === null ? 'cost unknown' : `$${v.costUsd.toFixed(4)}`;
          return `## ${v.label}: \`${v.modelId}\`\n\n${v.error ? `**Error:** ${v.error}` : v.answer}\n\n_${v.usage.inputTokens} in · ${v.usage.outputTokens} out · ${(v.latencyMs / 1000).toFixed(1)} s · ${cost}_`;
        });
        const sources = comparison.sources.map((s) => `- [${s.n}] ${s.chunk.path}:${s.chunk.startLine}-${s.chunk.endLine}`).join('\n');
        await showMarkdown(`# ${q}\n\n${columns.join('\n\n---\n\n')}\n\n## Sources (shared)\n\n${sources}\n`);
        return comparison;
      } catch (err) {
        await showError(err, 'the comparison failed', { logger: deps.logger });
        return undefined;
      }
    }),
    vscode.commands.registerCommand('bedrockDocs.exportFineTuning', async (target?: vscode.Uri) => {
      const session = deps.sessions.session;
      const conversations = store.all().map((c) => ({
        id: c.id,
        systemPrompt: SYSTEM_PROMPT,
        turns: c.turns.map((t) => ({ question: t.question, answer: t.answer, rating: t.rating ?? null, status: t.status })),
      }));
      await session.stack.meter.ready();
      const result = exportFineTuning(conversations, { redact: session.stack.redactor().redact });
      if (result.records.length === 0) {
        void vscode.window.showInformationMessage(
          'Bedrock Docs: no rated answers to export yet. Rate answers with the thumbs-up button in the chat.',
        );
        return result;
      }
      const uri =
        target instanceof vscode.Uri
          ? target
          : await vscode.window.showSaveDialog({
              title: 'Export fine-tuning data',
              filters: { 'JSON Lines': ['jsonl'] },
              defaultUri: vscode.workspace.workspaceFolders?.[0]
                ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'fine-tuning.jsonl')
                : undefined,
            });
      if (!uri) return undefined;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(result.jsonl));
      deps.logger.info(
        `exported ${result.records.length} fine-tuning records to ${uri.fsPath}${result.warnings.length ? ` (${result.warnings.join('; ')})` : ''}`,
      );
      void vscode.window.showInformationMessage(
        `Bedrock Docs: exported ${result.records.length} records (redacted) to ${vscode.workspace.asRelativePath(uri)}.`,
      );
      return result;
    }),
  ];
}
