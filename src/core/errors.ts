/**
 * Coded errors: the core throws these, the edges (CLI, VS Code) map each code to a message that
 * names the fix. Keep `message` free of secrets; it is logged and shown.
 */
export type ErrorCode =
  | 'NO_CREDENTIALS'
  | 'SSO_EXPIRED'
  | 'CREDENTIALS_EXPIRED'
  | 'ACCESS_DENIED'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_NEEDS_INFERENCE_PROFILE'
  | 'MODEL_NOT_READY'
  | 'THROTTLED'
  | 'CONTEXT_TOO_LONG'
  | 'VALIDATION'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'SERVICE_UNAVAILABLE'
  | 'STREAM_INTERRUPTED'
  | 'CANCELLED'
  | 'BAD_SETTING'
  | 'BAD_INPUT'
  | 'INDEX_CORRUPT'
  | 'NOT_INDEXED'
  | 'GUARDRAIL_INTERVENED'
  | 'BUDGET_EXCEEDED'
  | 'UNKNOWN';

export class BedrockDocsError extends Error {
  override readonly name = 'BedrockDocsError';
  /** @param hint one sentence that tells the user what to do about it */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for errors caused by an AbortSignal: a cancel is not a failure to report. */
export function isCancellation(err: unknown): boolean {
  if (err instanceof BedrockDocsError) return err.code === 'CANCELLED';
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'AbortError';
}

/** The one-line form used by the CLI and the log: "message — hint". */
export function describeError(err: unknown): string {
  if (err instanceof BedrockDocsError) return err.hint ? `${err.message} — ${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
