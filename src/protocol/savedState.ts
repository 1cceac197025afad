/**
 * What the webview keeps through `vscode.setState` so a reload paints at once, before the
 * extension's `init` arrives (init then wins). Versioned: `migrateSavedState` accepts anything
 * VS Code hands back (older versions, garbage, nothing) and returns the current shape.
 */
import {
  conversationSchema,
  historyEntrySchema,
  MAX_QUESTION_CHARS,
  modelOptionSchema,
  scopeOptionSchema,
  scopeSchema,
} from './conversation';
import { maybeEmptyText } from './schema';
import * as z from 'zod/mini';

/** Bump with a step in MIGRATIONS when SavedState changes shape. */
export const SAVED_STATE_VERSION = 1;

const savedStateSchema = z.object({
  version: z.literal(SAVED_STATE_VERSION),
  conversation: z.nullable(conversationSchema),
  history: z.array(historyEntrySchema),
  models: z.array(modelOptionSchema),
  currentModelId: maybeEmptyText(512),
  scopes: z.array(scopeOptionSchema),
  currentScope: scopeSchema,
  agentMode: z.boolean(),
  /** The unsent text of the composer. */
  draft: maybeEmptyText(MAX_QUESTION_CHARS),
});

/** The webview's persisted state, current version. */
export type SavedState = z.infer<typeof savedStateSchema>;

/** The state of a webview that has never run. */
export function emptySavedState(): SavedState {
  return {
    version: SAVED_STATE_VERSION,
    conversation: null,
    history: [],
    models: [],
    currentModelId: '',
    scopes: [],
    currentScope: { kind: 'all' },
    agentMode: false,
    draft: '',
  };
}

/**
 * One step per old version: MIGRATIONS[n] turns a version-n object into version n+1. Empty while
 * version 1 is the only one that has shipped.
 */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {};

/**
 * Brings whatever getState() returned to the current version. A part that fails validation is
 * replaced by its empty value rather than losing everything (a bad conversation keeps the draft);
 * a newer version than this build knows, or an unknown one, starts empty.
 */
export function migrateSavedState(raw: unknown): SavedState {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return emptySavedState();
  let state = raw as Record<string, unknown>;
  let version = state.version;
  while (typeof version === 'number' && version < SAVED_STATE_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) return emptySavedState();
    state = step(state);
    version = state.version;
  }
  if (version !== SAVED_STATE_VERSION) return emptySavedState();
  const whole = savedStateSchema.safeParse(state);
  if (whole.success) return whole.data;
  return salvage(state);
}

function salvage(state: Record<string, unknown>): SavedState {
  const parts: Record<string, unknown> = { ...emptySavedState() };
  for (const [key, schema] of Object.entries(savedStateSchema.def.shape) as Array<[string, z.ZodMiniType]>) {
    const parsed = schema.safeParse(state[key]);
    if (parsed.success && key !== 'version') parts[key] = parsed.data;
  }
  // Every part is now valid on its own, so the whole parses.
  return savedStateSchema.parse(parts);
}
