/**
 * CSV export of the usage ledger (RFC 4180: comma-separated, CRLF line ends, fields quoted when
 * they hold a comma, quote or line break). Unknown costs are empty cells, not 0.
 */
import { totalTokens } from './cost';
import type { UsageRecord } from './usageRecord';

const HEADER = [
  'time',
  'day',
  'kind',
  'modelId',
  'inputTokens',
  'outputTokens',
  'cacheReadInputTokens',
  'cacheWriteInputTokens',
  'totalTokens',
  'embeddingTokens',
  'latencyMs',
  'costUsd',
  'errorCode',
];

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  // Spreadsheets run cells that start with these as formulas: keep text text.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The records as CSV with a header row; `dayKey` fills the day column (e.g. localDayKey). */
export function usageToCsv(records: readonly UsageRecord[], dayKey: (timeMs: number) => string): string {
  const rows = records.map((r) =>
    [
      new Date(r.time).toISOString(),
      dayKey(r.time),
      r.kind,
      r.modelId,
      r.inputTokens,
      r.outputTokens,
      r.cacheReadInputTokens,
      r.cacheWriteInputTokens,
      totalTokens(r) + r.embeddingTokens,
      r.embeddingTokens,
      r.latencyMs,
      r.costUsd,
      r.errorCode,
    ]
      .map(cell)
      .join(','),
  );
  return [HEADER.join(','), ...rows].map((line) => `${line}\r\n`).join('');
}
