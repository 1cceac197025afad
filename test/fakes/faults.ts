/**
 * Fault injection for the fake Bedrock: rules matched per operation and model, counted down as
 * they fire, so a test can say "throttle the first two ConverseStream calls" and nothing more.
 */
import type { StreamExceptionType, WireError, WireErrorType } from './wireErrors';

/** The Bedrock Runtime (and Agent Runtime: Retrieve, Rerank) operations the fake serves. */
export type FakeOperation = 'Converse' | 'ConverseStream' | 'InvokeModel' | 'ApplyGuardrail' | 'Retrieve' | 'Rerank';

/** Which requests a fault applies to. */
export interface FaultFilter {
  /** Only these operations; all when omitted. */
  operation?: FakeOperation | FakeOperation[];
  /** Only this model id (exact, decoded) or pattern; all when omitted. */
  model?: string | RegExp;
}

/** One rule. `times` = how many matching calls it affects; omitted = every call (where it applies). */
export type Fault = FaultFilter &
  (
    | { type: 'throttle'; times?: number; message?: string }
    | { type: 'serverError'; times?: number; errorType?: 'InternalServerException' | 'ServiceUnavailableException'; message?: string }
    | { type: 'accessDenied'; times?: number; message?: string }
    | { type: 'validation'; message: string; times?: number }
    | { type: 'error'; errorType: WireErrorType; message?: string; times?: number }
    | { type: 'rateLimit'; perSecond: number }
    | { type: 'delay'; ms: number; times?: number }
    | { type: 'cutStream'; afterFrames: number; times?: number }
    | { type: 'streamException'; afterFrames: number; exception?: StreamExceptionType; message?: string; times?: number }
    | { type: 'slowStream'; frameDelayMs: number; times?: number }
  );

/** What the faults decided for one request. */
export interface FaultDecision {
  delayMs: number;
  error?: WireError;
  cutAfterFrames?: number;
  streamException?: { afterFrames: number; exception: StreamExceptionType; message?: string };
  frameDelayMs: number;
}

interface Rule {
  fault: Fault;
  remaining: number | undefined;
  /** Accepted request times (ms), for rateLimit. */
  window: number[];
}

function matches(fault: Fault, operation: FakeOperation, modelId: string | undefined): boolean {
  if (fault.operation !== undefined) {
    const ops = Array.isArray(fault.operation) ? fault.operation : [fault.operation];
    if (!ops.includes(operation)) return false;
  }
  if (fault.model !== undefined) {
    if (modelId === undefined) return false;
    if (typeof fault.model === 'string' ? fault.model !== modelId : !fault.model.test(modelId)) return false;
  }
  return true;
}

function errorOf(fault: Fault): WireError | undefined {
  switch (fault.type) {
    case 'throttle':
      return { type: 'ThrottlingException', message: fault.message };
    case 'serverError':
      return { type: fault.errorType ?? 'ServiceUnavailableException', message: fault.message };
    case 'accessDenied':
      return { type: 'AccessDeniedException', message: fault.message };
    case 'validation':
      return { type: 'ValidationException', message: fault.message };
    case 'error':
      return { type: fault.errorType, message: fault.message };
    default:
      return undefined;
  }
}

/** The set of active fault rules of one fake server. */
export class FaultBook {
  private rules: Rule[] = [];

  /** Adds a rule; returns a function that removes it. */
  add(fault: Fault): () => void {
    const rule: Rule = { fault, remaining: 'times' in fault ? fault.times : undefined, window: [] };
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** Applies the rules to one request at `now` (ms), counting down the ones that fire. */
  decide(operation: FakeOperation, modelId: string | undefined, now: number): FaultDecision {
    const decision: FaultDecision = { delayMs: 0, frameDelayMs: 0 };
    const fire = (rule: Rule) => {
      if (rule.remaining !== undefined) rule.remaining--;
    };
    const active = this.rules.filter((r) => r.remaining !== 0 && matches(r.fault, operation, modelId));
    for (const rule of active) {
      const { fault } = rule;
      if (fault.type === 'delay') {
        decision.delayMs += fault.ms;
        fire(rule);
      } else if (fault.type === 'rateLimit') {
        rule.window = rule.window.filter((t) => now - t < 1000);
        if (decision.error) continue;
        if (rule.window.length >= fault.perSecond)
          decision.error = { type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' };
        else rule.window.push(now);
      } else if (!decision.error) {
        const error = errorOf(fault);
        if (!error) continue;
        decision.error = error;
        fire(rule);
      }
    }
    // Stream faults count only when the request gets a stream at all.
    if (decision.error || operation !== 'ConverseStream') return decision;
    for (const rule of active) {
      const { fault } = rule;
      if (fault.type === 'cutStream' && decision.cutAfterFrames === undefined) {
        decision.cutAfterFrames = fault.afterFrames;
        fire(rule);
      } else if (fault.type === 'streamException' && !decision.streamException) {
        decision.streamException = {
          afterFrames: fault.afterFrames,
          exception: fault.exception ?? 'modelStreamErrorException',
          message: fault.message,
        };
        fire(rule);
      } else if (fault.type === 'slowStream') {
        decision.frameDelayMs = Math.max(decision.frameDelayMs, fault.frameDelayMs);
        fire(rule);
      }
    }
    return decision;
  }
}
