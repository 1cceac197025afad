/**
 * What the user can do about an error, by code: the VS Code layer turns these into buttons
 * (notifications, the chat's inline errors). Kept in core so every surface offers the same fixes.
 */
import type { ErrorCode } from './errors';

export type ErrorAction = 'signInSso' | 'openSettings' | 'openModelAccess' | 'retry' | 'showLog';

const ACTIONS: Partial<Record<ErrorCode, ErrorAction[]>> = {
  NO_CREDENTIALS: ['openSettings', 'showLog'],
  SSO_EXPIRED: ['signInSso', 'retry'],
  CREDENTIALS_EXPIRED: ['signInSso', 'retry'],
  ACCESS_DENIED: ['openModelAccess', 'openSettings'],
  MODEL_NOT_FOUND: ['openSettings'],
  MODEL_NEEDS_INFERENCE_PROFILE: ['openSettings'],
  MODEL_NOT_READY: ['retry'],
  THROTTLED: ['retry'],
  TIMEOUT: ['retry', 'openSettings'],
  NETWORK: ['retry', 'openSettings'],
  SERVICE_UNAVAILABLE: ['retry'],
  STREAM_INTERRUPTED: ['retry'],
  CONTEXT_TOO_LONG: ['openSettings'],
  BAD_SETTING: ['openSettings'],
  VALIDATION: ['openSettings', 'showLog'],
  INDEX_CORRUPT: ['retry'],
  BUDGET_EXCEEDED: ['openSettings', 'retry'],
};

/** The actions offered for an error code (always at least "show log"). */
export function actionsFor(code: ErrorCode): ErrorAction[] {
  return ACTIONS[code] ?? ['showLog'];
}

/** The Bedrock console page where model access is granted, for a Region. */
export function modelAccessUrl(region: string): string {
  return `https://console.aws.amazon.com/bedrock/home?region=${encodeURIComponent(region)}#/modelaccess`;
}
