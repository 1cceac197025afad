/**
 * The usage ledger on disk: one JSON line per model call (format in core/usage/usageLog.ts),
 * appended, never rewritten. The extension keeps it in global storage, the CLI in
 * `<dir>/.bedrock-docs/usage.jsonl`. A torn last line (a crash mid-append) is fenced off with a
 * newline before the next append and skipped on read, so it never swallows a record.
 */
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BedrockDocsError, describeError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import type { ParsedUsageLog } from '../../core/usage/usageLog';
import { appendSeparator, formatUsageLine, parseUsageLog } from '../../core/usage/usageLog';
import type { UsageRecord } from '../../core/usage/usageRecord';

/** The ledger's file name, in global storage (extension) or the CLI's cache folder. */
export const USAGE_FILE_NAME = 'usage.jsonl';

/** Where records are kept and read back; the tracker and the CLI see only this. */
export interface UsageLedger {
  /** Appends one record; appends from one process never interleave. */
  append(record: UsageRecord): Promise<void>;
  /** Every readable record, oldest first, and what could not be read. */
  read(): Promise<ParsedUsageLog>;
}

const EMPTY: ParsedUsageLog = { records: [], skippedLines: 0, tornTail: false };

// The last byte says whether a torn append left the file without its final newline.
async function lastByte(path: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return '';
    const buffer = Buffer.alloc(1);
    await handle.read(buffer, 0, 1, size - 1);
    return buffer.toString('latin1');
  } finally {
    await handle.close();
  }
}

/** A JSONL ledger file; appends are queued so concurrent records keep whole lines. */
export class UsageStore implements UsageLedger {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  append(record: UsageRecord): Promise<void> {
    const run = this.queue.then(() => this.write(record));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(record: UsageRecord): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // O_APPEND: each line lands at the end even if another process appends too.
    await appendFile(this.path, appendSeparator(await lastByte(this.path)) + formatUsageLine(record), { encoding: 'utf8', flag: 'a' });
  }

  async read(): Promise<ParsedUsageLog> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ...EMPTY, records: [] };
      throw new BedrockDocsError(
        'BAD_INPUT',
        `Cannot read the usage log ${this.path}: ${describeError(err)}`,
        "Check the file's permissions, or move it away to start a new log.",
        { cause: err },
      );
    }
    return parseUsageLog(text);
  }
}

/** `<cacheDir>/usage.jsonl`: the CLI's ledger next to its index (default cache `<dir>/.bedrock-docs`). */
export function cliUsagePath(cacheDir: string): string {
  return join(cacheDir, USAGE_FILE_NAME);
}

/**
 * Appends a CLI run's record to `<cacheDir>/usage.jsonl` (pass `CliSession.cacheDir`). Never
 * throws: a ledger that cannot be written must not fail the command; the reason goes to `logger`.
 */
export async function recordCliUsage(cacheDir: string, record: UsageRecord, logger?: Logger): Promise<void> {
  try {
    await new UsageStore(cliUsagePath(cacheDir)).append(record);
  } catch (err) {
    logger?.warn(`could not record usage in ${cliUsagePath(cacheDir)}: ${describeError(err)}`);
  }
}
