/**
 * The typed, versioned messages between the extension and the chat webview. Both sides import
 * this file; each side validates what it receives with `parseWebviewMessage` /
 * `parseExtensionMessage` and drops what fails (log the reason), never casting to `any`.
 *
 * Flow
 * 1. The webview loads, paints from its saved state (savedState.ts), then posts
 *    `ready {protocolVersion}`. The extension answers `init` with the whole truth (conversation,
 *    history, models, scopes, agent mode), which replaces what the webview painted. If the
 *    versions differ the webview shows a "reload" notice; the extension still sends init.
 * 2. A question: the webview mints `requestId` and posts `chat/send`. It shows the question at
 *    once as a pending turn whose id is that requestId. The extension replies, all tagged with
 *    that requestId:
 *      `chat/turnStart` (the turn as the extension stored it: id = requestId)
 *      `chat/sources` (0..1, usually before text), `chat/step` (0..n, agent mode; the same step
 *      id again updates it), `chat/chunk` (0..n text deltas), `chat/guardrail` (0..1)
 *    and it ends with exactly one of `chat/done` or `chat/error`. A stop (`chat/abort`) ends with
 *    `chat/done {cancelled: true}`: a cancel is not an error. A stream cut midway ends with
 *    `chat/error` (e.g. STREAM_INTERRUPTED); the text so far stays and the turn offers retry.
 * 3. Retry and edit replace history: `chat/retry {turnId}` and `chat/edit {turnId, text}` mean
 *    "drop that turn and every later one, then ask again" under a new requestId; the extension
 *    confirms with `chat/turnStart {replacesFromTurnId}`.
 * 4. Error buttons: the `retry` action is posted as `chat/retry`, the others as `error/action`.
 * 5. History: the extension owns storage. It sends `history/list` whenever the list changes and
 *    `conversation/loaded` to show a conversation (null: an empty new chat). `chat/new` clears
 *    the webview at once; the extension need not answer.
 *
 * The extension can keep its copy of the conversation with the same reducer the webview uses
 * (`applyToConversation` in conversationReducer.ts), then persist it.
 */
import {
  agentStepSchema,
  contextDroppedSchema,
  conversationSchema,
  errorActionSchema,
  guardrailSchema,
  historyEntrySchema,
  MAX_QUESTION_CHARS,
  modelOptionSchema,
  scopeOptionSchema,
  scopeSchema,
  sourceSchema,
  turnErrorSchema,
  turnSchema,
  usageSchema,
} from './conversation';
import * as z from 'zod/mini';
import type { ParseResult } from './schema';
import { idSchema, int, maybeEmptyText, nonNegative, parseWith, text } from './schema';

/** Bump when a message changes shape; both bundles are built from this one constant. */
export const PROTOCOL_VERSION = 1;

const MAX_PATH = 4096;
const MAX_CODE = 1_000_000;

const question = {
  text: text(MAX_QUESTION_CHARS),
  scope: scopeSchema,
  modelId: text(512),
  agentMode: z.boolean(),
};

// ---- webview -> extension ------------------------------------------------------------------

const webviewMessageSchema = z.discriminatedUnion('type', [
  /** First message of every webview load. */
  z.object({ type: z.literal('ready'), protocolVersion: int(0) }),
  /** Ask a question; `requestId` becomes the new turn's id. */
  z.object({ type: z.literal('chat/send'), requestId: idSchema, ...question }),
  /** Stop the request; the extension ends it with chat/done {cancelled: true}. */
  z.object({ type: z.literal('chat/abort'), requestId: idSchema }),
  /** Drop turn `turnId` and later ones, ask its question again with the current picks. */
  z.object({
    type: z.literal('chat/retry'),
    requestId: idSchema,
    turnId: idSchema,
    scope: scopeSchema,
    modelId: text(512),
    agentMode: z.boolean(),
  }),
  /** Drop turn `turnId` and later ones, ask `text` instead. */
  z.object({ type: z.literal('chat/edit'), requestId: idSchema, turnId: idSchema, ...question }),
  /** Start an empty conversation (the webview has already cleared itself). */
  z.object({ type: z.literal('chat/new') }),
  /** Save the conversation as Markdown (conversationToMarkdown in exportMarkdown.ts). */
  z.object({ type: z.literal('chat/export'), conversationId: idSchema }),
  z.object({ type: z.literal('history/open'), conversationId: idSchema }),
  z.object({ type: z.literal('history/delete'), conversationId: idSchema }),
  z.object({ type: z.literal('history/clear') }),
  /** Open a cited file at 1-based inclusive lines. */
  z
    .object({ type: z.literal('source/open'), path: text(MAX_PATH), startLine: int(1), endLine: int(1) })
    .check(z.refine((m) => m.endLine >= m.startLine, { message: 'endLine is before startLine', path: ['endLine'] })),
  z.object({ type: z.literal('code/copy'), code: maybeEmptyText(MAX_CODE) }),
  z.object({ type: z.literal('code/insert'), code: maybeEmptyText(MAX_CODE) }),
  /** `language` is the fence info as written; `languageId` the VS Code id (languageIdForFence). */
  z.object({ type: z.literal('code/newFile'), code: maybeEmptyText(MAX_CODE), language: maybeEmptyText(64), languageId: text(64) }),
  z.object({ type: z.literal('model/select'), modelId: text(512) }),
  z.object({ type: z.literal('scope/select'), scope: scopeSchema }),
  /** Ask the extension for a folder picker; it answers with config/update. */
  z.object({ type: z.literal('scope/browse') }),
  /** A non-retry error button; `turnId` is the turn showing the error. */
  z.object({ type: z.literal('error/action'), turnId: idSchema, action: errorActionSchema }),
  /** null clears a rating. */
  z.object({ type: z.literal('answer/rate'), turnId: idSchema, rating: z.nullable(z.enum(['up', 'down'])) }),
  z.object({ type: z.literal('agent/toggle'), enabled: z.boolean() }),
]);

/** Everything the webview may post. */
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;
/** The `type` tags of WebviewMessage. */
export type WebviewMessageType = WebviewMessage['type'];

// ---- extension -> webview ------------------------------------------------------------------

const configFields = {
  models: z.array(modelOptionSchema),
  currentModelId: maybeEmptyText(512),
  scopes: z.array(scopeOptionSchema),
  currentScope: scopeSchema,
  agentMode: z.boolean(),
};

const extensionMessageSchema = z.discriminatedUnion('type', [
  /** The answer to ready: replaces everything the webview shows. */
  z.object({
    type: z.literal('init'),
    protocolVersion: int(0),
    /** A turn still streaming when the view was (re)loaded keeps status 'streaming'; chunks go on. */
    conversation: z.nullable(conversationSchema),
    history: z.array(historyEntrySchema),
    ...configFields,
  }),
  /** Any subset of the pickers changed (settings edited, folder picked). */
  z.object({
    type: z.literal('config/update'),
    models: z.optional(configFields.models),
    currentModelId: z.optional(configFields.currentModelId),
    scopes: z.optional(configFields.scopes),
    currentScope: z.optional(configFields.currentScope),
    agentMode: z.optional(configFields.agentMode),
  }),
  /** The turn as stored; a new conversationId starts a new conversation titled `conversationTitle`. */
  z.object({
    type: z.literal('chat/turnStart'),
    requestId: idSchema,
    conversationId: idSchema,
    conversationTitle: maybeEmptyText(512),
    turn: turnSchema,
    replacesFromTurnId: z.optional(idSchema),
  }),
  z.object({ type: z.literal('chat/sources'), requestId: idSchema, sources: z.array(sourceSchema) }),
  /** A text delta of the answer (Markdown). */
  z.object({ type: z.literal('chat/chunk'), requestId: idSchema, text: maybeEmptyText(1_000_000) }),
  z.object({ type: z.literal('chat/step'), requestId: idSchema, step: agentStepSchema }),
  /** Ends a request. `incomplete`: cut by a limit; `cancelled`: the user stopped it. */
  z.object({
    type: z.literal('chat/done'),
    requestId: idSchema,
    usage: z.nullable(usageSchema),
    latencyMs: z.nullable(nonNegative()),
    costUsd: z.nullable(nonNegative()),
    incomplete: z.boolean(),
    cancelled: z.optional(z.boolean()),
    incompleteReason: z.optional(maybeEmptyText(512)),
    contextDropped: z.optional(contextDroppedSchema),
  }),
  /** Ends a request with an error shown inline; text streamed so far stays. */
  z.object({ type: z.literal('chat/error'), requestId: idSchema, error: turnErrorSchema }),
  /** A guardrail intervened: the turn shows the policy summary instead of an answer. */
  z.object({ type: z.literal('chat/guardrail'), requestId: idSchema, guardrail: guardrailSchema }),
  z.object({ type: z.literal('history/list'), history: z.array(historyEntrySchema) }),
  /** Show this conversation; null shows an empty new chat. */
  z.object({ type: z.literal('conversation/loaded'), conversation: z.nullable(conversationSchema) }),
]);

/** Everything the extension may post. */
export type ExtensionMessage = z.infer<typeof extensionMessageSchema>;
/** The `type` tags of ExtensionMessage. */
export type ExtensionMessageType = ExtensionMessage['type'];
/** The message of one `type`, e.g. `MessageOf<ExtensionMessage, 'chat/done'>`. */
export type MessageOf<M extends { type: string }, T extends M['type']> = Extract<M, { type: T }>;

/** Validates a message from the webview; unknown extra fields are dropped from `value`. */
export function parseWebviewMessage(raw: unknown): ParseResult<WebviewMessage> {
  return parseWith(webviewMessageSchema, raw, describeType(raw));
}

/** Validates a message from the extension; unknown extra fields are dropped from `value`. */
export function parseExtensionMessage(raw: unknown): ParseResult<ExtensionMessage> {
  return parseWith(extensionMessageSchema, raw, describeType(raw));
}

/** Type guard form of parseWebviewMessage, for callers that need no reason. */
export function isWebviewMessage(raw: unknown): raw is WebviewMessage {
  return webviewMessageSchema.safeParse(raw).success;
}

/** Type guard form of parseExtensionMessage, for callers that need no reason. */
export function isExtensionMessage(raw: unknown): raw is ExtensionMessage {
  return extensionMessageSchema.safeParse(raw).success;
}

function describeType(raw: unknown): string {
  const type = (raw as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? `message "${type.slice(0, 40)}"` : 'message without a type';
}
