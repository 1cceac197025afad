import type * as vscode from 'vscode';

/** Turns a CancellationToken into an AbortSignal (the core's cancellation currency). */
export function toAbortSignal(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
