/**
 * The installation's redaction salt: 32 random bytes, made once and kept in a file readable by the
 * user only (mode 0600), so placeholders (`[EMAIL_3f2a9c]`, an HMAC under this salt) are stable
 * across runs but cannot be reversed by anyone who does not have this machine's file. The hosts
 * pass a directory of their own (VS Code's global storage, the CLI's config directory) and hand
 * the bytes to `createRedactor({ salt })` / `redactorFromSettings(settings, salt)`.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SALT_BYTES } from '../core/safety/placeholder';

/** File name of the salt inside the directory the host chooses. */
export const REDACTION_SALT_FILE = 'redaction-salt';

const HEX_RE = new RegExp(`^[0-9a-f]{${SALT_BYTES * 2}}$`);

function code(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** Reads and checks the salt file; undefined when it does not exist. Throws one clear line otherwise. */
async function readSalt(path: string): Promise<Uint8Array | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (code(err) === 'ENOENT') return undefined;
    throw new Error(
      `Cannot read the redaction salt ${path} (${code(err) ?? String(err)}): make it a file readable by you (mode 600), or delete it to make a new one (placeholders then change and cached embeddings are recomputed).`,
      { cause: err },
    );
  }
  const hex = text.trim();
  if (!HEX_RE.test(hex)) {
    throw new Error(
      `The redaction salt ${path} is damaged (expected ${SALT_BYTES * 2} hex digits): delete it to make a new one (placeholders then change and cached embeddings are recomputed).`,
    );
  }
  // Tighten a file that others can read (copied around, restored from a backup); best effort.
  if (process.platform !== 'win32') {
    const mode = (await stat(path)).mode & 0o777;
    if ((mode & 0o077) !== 0) await chmod(path, 0o600).catch(() => undefined);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Links `temp` to `path` (fails with EEXIST if it exists); where links are not supported, creates `path` exclusively instead. */
async function linkOrCopy(temp: string, path: string, salt: Uint8Array): Promise<void> {
  try {
    await link(temp, path);
  } catch (err) {
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV'].includes(code(err) ?? '')) throw err;
    const file = await open(path, 'wx', 0o600);
    try {
      await file.writeFile(`${Buffer.from(salt).toString('hex')}\n`, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
  }
}

/**
 * The salt kept in `dir` (created, with the directory, on first use). Atomic: the new salt is
 * written to a private temporary file, flushed, then linked into place, which fails if another
 * process got there first; then that process's salt is used. So concurrent first runs agree.
 */
export async function loadOrCreateRedactionSalt(dir: string): Promise<Uint8Array> {
  const path = join(dir, REDACTION_SALT_FILE);
  const existing = await readSalt(path);
  if (existing) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const salt = new Uint8Array(randomBytes(SALT_BYTES));
  const file = await open(temp, 'wx', 0o600);
  try {
    await file.writeFile(`${Buffer.from(salt).toString('hex')}\n`, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await linkOrCopy(temp, path, salt);
    return salt;
  } catch (err) {
    if (code(err) !== 'EEXIST') {
      throw new Error(`Cannot create the redaction salt ${path} (${code(err) ?? String(err)}): check that ${dir} is writable.`, {
        cause: err,
      });
    }
    const winner = await readSalt(path);
    if (!winner) throw new Error(`The redaction salt ${path} vanished while it was being created: try again.`, { cause: err });
    return winner;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
