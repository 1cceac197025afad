/** The typed face of `acquireVsCodeApi()` for the usage report: protocol messages out, saved state in and out. */
import type { UsageSavedState, UsageViewMessage } from './usageMessages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The host as the report sees it; the browser tests stub `acquireVsCodeApi` underneath. */
export interface UsageHost {
  post(message: UsageViewMessage): void;
  /** Raw: pass it through migrateUsageState. */
  loadState(): unknown;
  saveState(state: UsageSavedState): void;
}

/** Acquires the API once (VS Code throws on a second call). */
export function connectUsageHost(): UsageHost {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    loadState: () => api.getState(),
    saveState: (state) => api.setState(state),
  };
}
