/**
 * The usage ledger's file format: JSON Lines, one record per line, append-only, each line tagged
 * with a format version. Reading tolerates a torn last line (a crash mid-append) and skips lines it
 * cannot read, counting them, so one bad line never loses the ledger. Pure: the caller does the I/O.
 */
import * as z from 'zod';
import { CALL_PURPOSES } from '../ports';
import type { UsageRecord } from './usageRecord';
import { purposeOfKind, USAGE_KINDS } from './usageRecord';

/** Version written in each line's `v`; readers skip lines of other versions. */
export const USAGE_LOG_VERSION = 1;

const count = z.number().int().nonnegative();

const LINE = z.object({
  v: z.literal(USAGE_LOG_VERSION),
  time: z.number().finite(),
  kind: z.enum(USAGE_KINDS),
  // Lines written before purposes existed have neither: one call of the kind's likeliest purpose.
  purpose: z.enum(CALL_PURPOSES).optional(),
  requests: z.number().int().positive().optional(),
  modelId: z.string(),
  inputTokens: count,
  outputTokens: count,
  cacheReadInputTokens: count,
  cacheWriteInputTokens: count,
  embeddingTokens: count,
  latencyMs: z.number().finite().nonnegative(),
  costUsd: z.number().finite().nonnegative().nullable(),
  errorCode: z.string().optional(),
  estimatedInputTokens: count.optional(),
  estimated: z.literal(true).optional(),
});

/** One record as a line, newline included. */
export function formatUsageLine(record: UsageRecord): string {
  const {
    time,
    kind,
    modelId,
    inputTokens,
    outputTokens,
    cacheReadInputTokens,
    cacheWriteInputTokens,
    embeddingTokens,
    latencyMs,
    costUsd,
    errorCode,
    estimatedInputTokens,
    estimated,
    purpose,
    requests,
  } = record;
  const optional = {
    ...(errorCode ? { errorCode } : {}),
    ...(estimatedInputTokens !== undefined ? { estimatedInputTokens } : {}),
    ...(estimated ? { estimated } : {}),
  };
  return `${JSON.stringify({ v: USAGE_LOG_VERSION, time, kind, purpose, requests, modelId, inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens, embeddingTokens, latencyMs, costUsd, ...optional })}\n`;
}

/** A ledger's records, and what could not be read. */
export interface ParsedUsageLog {
  records: UsageRecord[];
  /** Complete lines that were not valid records (corrupt, or another format version). */
  skippedLines: number;
  /** The text ended in a partial line that did not parse: a torn append, ignored. */
  tornTail: boolean;
}

function parseLine(line: string): UsageRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = LINE.safeParse(json);
  if (!parsed.success) return undefined;
  const { v: _v, errorCode, estimatedInputTokens, estimated, purpose, requests, ...rest } = parsed.data;
  const resolved = purpose ?? purposeOfKind(rest.kind);
  return {
    ...rest,
    purpose: resolved,
    requests: requests ?? 1,
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(estimatedInputTokens !== undefined ? { estimatedInputTokens } : {}),
    ...(estimated ? { estimated } : {}),
  };
}

/** Reads a ledger's text; blank lines are ignored. */
export function parseUsageLog(text: string): ParsedUsageLog {
  const lines = text.split('\n');
  // After the last '\n' comes either '' (a clean end) or a line whose append never finished.
  const tail = lines.pop() ?? '';
  const records: UsageRecord[] = [];
  let skippedLines = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const record = parseLine(line);
    if (record) records.push(record);
    else skippedLines++;
  }
  let tornTail = false;
  if (tail.trim() !== '') {
    // A last line without its newline can still be whole (a file edited by hand).
    const record = parseLine(tail);
    if (record) records.push(record);
    else tornTail = true;
  }
  return { records, skippedLines, tornTail };
}

/**
 * What to write before appending to a ledger whose text ends with `existingTail` (its last bytes):
 * a newline when a torn line would otherwise swallow the new record.
 */
export function appendSeparator(existingTail: string): string {
  return existingTail === '' || existingTail.endsWith('\n') ? '' : '\n';
}
