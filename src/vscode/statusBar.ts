/** The index's status bar item: chunk count, a spinner with progress while indexing; click re-indexes. */
import * as vscode from 'vscode';
import type { SyncProgress, SyncReport } from '../core/indexer';

export class IndexStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('bedrockDocs.index', vscode.StatusBarAlignment.Left, 50);
  /** Progress updates shown so far (tests check that indexing reports progress). */
  progressUpdates = 0;

  constructor() {
    this.item.name = 'Bedrock Docs Index';
    this.item.command = 'bedrockDocs.indexWorkspace';
    this.item.text = '$(book) Docs';
    this.item.tooltip = 'Bedrock Docs: not indexed yet. Click to index the workspace.';
    this.item.show();
  }

  /** The text shown (tests read it). */
  get text(): string {
    return this.item.text;
  }

  progress(p: SyncProgress): void {
    this.progressUpdates++;
    const label = {
      restore: 'Loading index',
      scan: 'Scanning',
      read: 'Indexing',
      context: 'Writing context',
      embed: 'Embedding',
      save: 'Saving',
    }[p.phase];
    this.item.text = `$(sync~spin) ${label}${p.total ? ` ${p.done}/${p.total}` : ''}`;
    this.item.tooltip = `Bedrock Docs: ${label.toLowerCase()}${p.path ? ` ${p.path}` : ''}`;
  }

  done(report: SyncReport): void {
    this.item.text = `$(book) ${report.chunks.toLocaleString('en-US')} chunks`;
    const lines = [
      `Bedrock Docs: ${report.files} files, ${report.chunks} chunks, ${report.vectors} with vectors`,
      report.embeddingsOff ? `Full-text only: ${report.embeddingsOff}` : 'Hybrid search (full-text + vectors)',
      report.skipped.length ? `${report.skipped.length} files skipped (see the log)` : '',
      'Click to re-index.',
    ];
    this.item.tooltip = lines.filter(Boolean).join('\n');
  }

  failed(message: string): void {
    this.item.text = '$(warning) Docs';
    this.item.tooltip = `Bedrock Docs: indexing failed: ${message}. Click to retry.`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
