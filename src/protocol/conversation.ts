/**
 * The data both sides of the chat share: conversations, turns, sources, agent steps, answer stats.
 * Schemas are the single source; the types are inferred from them, so what the guards accept is
 * exactly what the types promise.
 */
import type { ErrorCode } from '../core/errors';
import type { TokenUsage } from '../core/ports';
import { idSchema, int, maybeEmptyText, nonNegative, text } from './schema';
import * as z from 'zod/mini';

/** Longest question the webview may send, in characters. */
export const MAX_QUESTION_CHARS = 32_000;
const MAX_PATH = 4096;
const MAX_LABEL = 512;
const MAX_ANSWER_CHARS = 2_000_000;

// A Record over ErrorCode fails to compile when core/errors.ts gains or loses a code.
const ERROR_CODES: Record<ErrorCode, true> = {
  NO_CREDENTIALS: true,
  BUDGET_EXCEEDED: true,
  SSO_EXPIRED: true,
  CREDENTIALS_EXPIRED: true,
  ACCESS_DENIED: true,
  MODEL_NOT_FOUND: true,
  MODEL_NEEDS_INFERENCE_PROFILE: true,
  MODEL_NOT_READY: true,
  THROTTLED: true,
  CONTEXT_TOO_LONG: true,
  VALIDATION: true,
  TIMEOUT: true,
  NETWORK: true,
  SERVICE_UNAVAILABLE: true,
  STREAM_INTERRUPTED: true,
  CANCELLED: true,
  BAD_SETTING: true,
  BAD_INPUT: true,
  INDEX_CORRUPT: true,
  NOT_INDEXED: true,
  GUARDRAIL_INTERVENED: true,
  UNKNOWN: true,
};
const errorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

/** What a question searches: every indexed doc, one folder (relative path), or the active editor's file. */
export const scopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('folder'), path: text(MAX_PATH) }),
  /** `path` is filled in by the extension once it has resolved the active editor. */
  z.object({ kind: z.literal('currentFile'), path: z.optional(text(MAX_PATH)) }),
]);
/** A question scope. */
export type Scope = z.infer<typeof scopeSchema>;

/** One entry of the scope picker. */
export const scopeOptionSchema = z.object({ id: idSchema, label: text(MAX_LABEL), scope: scopeSchema });
/** A scope picker entry. */
export type ScopeOption = z.infer<typeof scopeOptionSchema>;

/** One entry of the model picker; `id` is what Bedrock is called with. */
export const modelOptionSchema = z.object({
  id: text(MAX_LABEL),
  label: text(MAX_LABEL),
  description: z.optional(maybeEmptyText(MAX_LABEL)),
});
/** A model picker entry. */
export type ModelOption = z.infer<typeof modelOptionSchema>;

/** A retrieved chunk the answer may cite as `[n]`; lines are 1-based and inclusive. */
export const sourceSchema = z
  .object({
    n: int(1),
    path: text(MAX_PATH),
    startLine: int(1),
    endLine: int(1),
    breadcrumb: z.array(maybeEmptyText(MAX_LABEL)),
    title: maybeEmptyText(MAX_LABEL),
  })
  .check(z.refine((s) => s.endLine >= s.startLine, { message: 'endLine is before startLine', path: ['endLine'] }));
/** A citable source. */
export type Source = z.infer<typeof sourceSchema>;

/** One tool call of agent mode; `resultChars` is null while the tool runs. */
export const agentStepSchema = z.object({
  id: idSchema,
  tool: text(MAX_LABEL),
  input: z.unknown(),
  resultChars: z.nullable(int(0)),
});
/** One agent tool call. */
export type AgentStep = z.infer<typeof agentStepSchema>;

/** Token counts as Bedrock reports them (see core TokenUsage). */
export const usageSchema: z.ZodMiniType<TokenUsage> = z.object({
  inputTokens: int(0),
  outputTokens: int(0),
  cacheReadInputTokens: int(0),
  cacheWriteInputTokens: int(0),
});

/** Context the prompt assembly left out to fit the model's window. */
export const contextDroppedSchema = z.object({ chunks: int(0), turns: int(0) });
/** Counts of context left out. */
export type ContextDropped = z.infer<typeof contextDroppedSchema>;

/** The numbers under an answer. usage/latencyMs null: not reported (e.g. stopped); costUsd null: price unknown. */
export const answerStatsSchema = z.object({
  usage: z.nullable(usageSchema),
  latencyMs: z.nullable(nonNegative()),
  costUsd: z.nullable(nonNegative()),
  contextDropped: z.optional(contextDroppedSchema),
  /** Why an answer is incomplete, e.g. "Reached the 2048-token answer limit". */
  incompleteReason: z.optional(maybeEmptyText(MAX_LABEL)),
});
/** Footer numbers of an answer. */
export type AnswerStats = z.infer<typeof answerStatsSchema>;

/**
 * A button under an error. `retry` is posted back as `chat/retry`; the others as `error/action`.
 * `setting` narrows openSettings to a query, e.g. "bedrockDocs.chat.modelId".
 */
export const errorActionSchema = z.object({
  kind: z.enum(['signInSso', 'openSettings', 'openModelAccess', 'retry']),
  label: text(MAX_LABEL),
  setting: z.optional(text(MAX_LABEL)),
});
/** An error button. */
export type ErrorAction = z.infer<typeof errorActionSchema>;
/** What an error button does. */
export type ErrorActionKind = ErrorAction['kind'];

/** An error shown inline in the turn; `hint` names the fix. */
export const turnErrorSchema = z.object({
  code: errorCodeSchema,
  message: text(4000),
  hint: z.optional(maybeEmptyText(4000)),
  actions: z.array(errorActionSchema),
});
/** An inline error. */
export type TurnError = z.infer<typeof turnErrorSchema>;

/** A guardrail intervention: shown as such, never as an answer. */
export const guardrailSchema = z.object({ summary: text(4000), policies: z.optional(z.array(text(MAX_LABEL))) });
/** A guardrail intervention. */
export type GuardrailInfo = z.infer<typeof guardrailSchema>;

/**
 * Where a turn stands. `incomplete`: the answer was cut (length limit or dropped stream);
 * `cancelled`: the user stopped it; `blocked`: a guardrail intervened.
 */
export const turnStatusSchema = z.enum(['streaming', 'done', 'incomplete', 'cancelled', 'error', 'blocked']);
/** Lifecycle of a turn. */
export type TurnStatus = z.infer<typeof turnStatusSchema>;

/** One question and its answer. `id` is the requestId that produced it. */
export const turnSchema = z.object({
  id: idSchema,
  question: text(MAX_QUESTION_CHARS),
  scope: scopeSchema,
  modelId: text(MAX_LABEL),
  agentMode: z.boolean(),
  /** Milliseconds since the epoch. */
  startedAt: nonNegative(),
  status: turnStatusSchema,
  /** Markdown, as streamed so far. */
  answer: maybeEmptyText(MAX_ANSWER_CHARS),
  sources: z.array(sourceSchema),
  steps: z.array(agentStepSchema),
  stats: z.optional(answerStatsSchema),
  error: z.optional(turnErrorSchema),
  guardrail: z.optional(guardrailSchema),
  rating: z.optional(z.enum(['up', 'down'])),
});
/** A question and its answer. */
export type Turn = z.infer<typeof turnSchema>;
/** Thumbs up or down. */
export type Rating = NonNullable<Turn['rating']>;

/** A saved chat. Times are milliseconds since the epoch. */
export const conversationSchema = z.object({
  id: idSchema,
  title: maybeEmptyText(MAX_LABEL),
  createdAt: nonNegative(),
  updatedAt: nonNegative(),
  turns: z.array(turnSchema),
});
/** A saved chat. */
export type Conversation = z.infer<typeof conversationSchema>;

/** A row of the history panel. */
export const historyEntrySchema = z.object({
  id: idSchema,
  title: maybeEmptyText(MAX_LABEL),
  updatedAt: nonNegative(),
  turnCount: int(0),
});
/** A history row. */
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** A stable key for comparing scopes: a current-file scope matches whatever file it resolved to. */
export function scopeKey(scope: Scope): string {
  switch (scope.kind) {
    case 'all':
      return 'all';
    case 'folder':
      return `folder:${scope.path}`;
    case 'currentFile':
      return 'currentFile';
  }
}

/** The history row for a conversation, so the extension need not build it by hand. */
export function historyEntryOf(conversation: Conversation): HistoryEntry {
  return { id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt, turnCount: conversation.turns.length };
}

/** A title from the first question: one line, at most `max` characters. */
export function titleFromQuestion(question: string, max = 60): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
