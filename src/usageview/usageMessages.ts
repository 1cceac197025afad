/**
 * The typed, versioned messages between the extension and the usage report webview. Both sides
 * import this file and validate what they receive (`parseUsageViewMessage`,
 * `parseUsageHostMessage`); anything that fails is dropped with a logged reason.
 *
 * Flow: the webview loads and posts `ready {protocolVersion, range}` (range from its saved
 * state). The extension answers `usage/report` with the report for that range, and sends it again
 * whenever usage is recorded while the panel is open. `usage/range` asks for another range;
 * `usage/exportCsv` asks the extension to save the range's records as CSV (it shows the save dialog).
 */
import * as z from 'zod/mini';
import { USAGE_KINDS } from '../core/usage/usageRecord';
import type { ParseResult } from '../protocol/schema';
import { int, maybeEmptyText, nonNegative, parseWith, text } from '../protocol/schema';

/** Bump when a message changes shape; the extension and media/usage.js are built from this constant. */
export const USAGE_PROTOCOL_VERSION = 1;

/** The report's periods: the last 7, 30 or 90 calendar days (today included), or everything. */
export const USAGE_RANGES = ['7d', '30d', '90d', 'all'] as const;

/** One of USAGE_RANGES. */
export type UsageRange = (typeof USAGE_RANGES)[number];

const rangeSchema = z.enum(USAGE_RANGES);
const count = int(0);
const share = z.nullable(z.number().check(z.minimum(0), z.maximum(1)));
const daySchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'));

const totalsFields = {
  requests: count,
  errors: count,
  inputTokens: count,
  outputTokens: count,
  cacheReadInputTokens: count,
  cacheWriteInputTokens: count,
  embeddingTokens: count,
  totalTokens: count,
  /** USD over priced records; null when none was priced. */
  costUsd: z.nullable(nonNegative()),
  /** False: some record's cost is unknown, so costUsd is a lower bound. */
  costComplete: z.boolean(),
  cacheHitShare: share,
};

const latencySchema = z.object({ count, p50: z.nullable(nonNegative()), p95: z.nullable(nonNegative()) });

const reportSchema = z.object({
  range: rangeSchema,
  /** Ms since the epoch. */
  generatedAt: nonNegative(),
  /** Dense, oldest first: every calendar day of the range, zeros where nothing was recorded. */
  days: z.array(z.object({ day: daySchema, ...totalsFields })),
  total: z.object(totalsFields),
  /** Most expensive first. */
  models: z.array(z.object({ modelId: text(2048), ...totalsFields })),
  kinds: z.array(
    z.object({
      kind: z.enum(USAGE_KINDS),
      ...totalsFields,
      latency: latencySchema,
      errorRate: share,
      errorsByCode: z.array(z.object({ code: text(64), count: int(1) })),
    }),
  ),
  questionLatency: latencySchema,
  /** USD saved by prompt caching (negative when cache writes cost more than the reads saved). */
  cacheSavingsUsd: z.number(),
  /** This calendar month against `bedrockDocs.usage.monthlyBudgetUsd`; null without a budget. */
  budget: z.nullable(
    z.object({
      month: z.string().check(z.regex(/^\d{4}-\d{2}$/, 'expected YYYY-MM')),
      budgetUsd: nonNegative(),
      spentUsd: nonNegative(),
      share: nonNegative(),
      spentIncomplete: z.boolean(),
      level: z.enum(['ok', 'warn', 'exceeded']),
    }),
  ),
  /** Ledger lines that could not be read (corrupt, another version, a torn append). */
  unreadableLines: count,
  /** When the price catalog was last checked (YYYY-MM-DD). */
  catalogDate: maybeEmptyText(16),
});

/** Everything the report shows, computed by the extension (buildUsageReport). */
export type UsageReport = z.infer<typeof reportSchema>;
/** One row of UsageReport.days. */
export type UsageDay = UsageReport['days'][number];
/** One row of UsageReport.models. */
export type UsageModelRow = UsageReport['models'][number];
/** One row of UsageReport.kinds. */
export type UsageKindRow = UsageReport['kinds'][number];

// ---- webview -> extension ------------------------------------------------------------------

const viewMessageSchema = z.discriminatedUnion('type', [
  /** First message of every load; `range` is the one the webview shows (saved state). */
  z.object({ type: z.literal('ready'), protocolVersion: int(0), range: rangeSchema }),
  z.object({ type: z.literal('usage/range'), range: rangeSchema }),
  /** Save the range's records as CSV (the extension shows a save dialog). */
  z.object({ type: z.literal('usage/exportCsv'), range: rangeSchema }),
  /** Open the budget and CloudWatch settings. */
  z.object({ type: z.literal('usage/openSettings') }),
]);

/** Everything the usage webview may post. */
export type UsageViewMessage = z.infer<typeof viewMessageSchema>;

// ---- extension -> webview ------------------------------------------------------------------

const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('usage/report'), protocolVersion: int(0), report: reportSchema }),
]);

/** Everything the extension may post to the usage webview. */
export type UsageHostMessage = z.infer<typeof hostMessageSchema>;

function describeType(raw: unknown): string {
  const type = (raw as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? `message "${type.slice(0, 40)}"` : 'message without a type';
}

/** Validates a message from the usage webview. */
export function parseUsageViewMessage(raw: unknown): ParseResult<UsageViewMessage> {
  return parseWith(viewMessageSchema, raw, describeType(raw));
}

/** Validates a message from the extension. */
export function parseUsageHostMessage(raw: unknown): ParseResult<UsageHostMessage> {
  return parseWith(hostMessageSchema, raw, describeType(raw));
}

/** What the webview keeps through setState: the range it shows and the last report (for a quick repaint). */
const savedStateSchema = z.object({ version: z.literal(1), range: rangeSchema, report: z.nullable(reportSchema) });

/** The usage webview's persisted state. */
export type UsageSavedState = z.infer<typeof savedStateSchema>;

/** Reads whatever getState returned; anything unreadable (or an older version) starts fresh. */
export function migrateUsageState(raw: unknown): UsageSavedState {
  const parsed = savedStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : { version: 1, range: '30d', report: null };
}
