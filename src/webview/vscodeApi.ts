/** The typed face of `acquireVsCodeApi()`: only protocol messages out, only SavedState in and out. */
import type { WebviewMessage } from '../protocol/messages';
import type { SavedState } from '../protocol/savedState';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The host as the app sees it; tests of the bundle stub `acquireVsCodeApi` underneath. */
export interface Host {
  post(message: WebviewMessage): void;
  /** Raw: pass it through migrateSavedState. */
  loadState(): unknown;
  saveState(state: SavedState): void;
}

/** Acquires the API once (VS Code throws on a second call). */
export function connectHost(): Host {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}
