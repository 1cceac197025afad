import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedactor } from '../../../src/core/safety/redact';
import { loadOrCreateRedactionSalt, REDACTION_SALT_FILE } from '../../../src/node/redactionSalt';

describe('redaction salt store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redaction-salt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates 32 random bytes once, in a file only the user can read, and returns them again', async () => {
    const home = join(dir, 'nested', 'config');
    const salt = await loadOrCreateRedactionSalt(home);
    assert.equal(salt.length, 32);
    assert.ok(salt.some((b) => b !== 0));
    const path = join(home, REDACTION_SALT_FILE);
    if (process.platform !== 'win32') assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await readFile(path, 'utf8')).trim(), Buffer.from(salt).toString('hex'));
    assert.deepEqual(await loadOrCreateRedactionSalt(home), salt);
    // Placeholders made with it are stable across loads and differ from another installation's.
    const again = createRedactor({ salt: await loadOrCreateRedactionSalt(home) }).redact('jane@acme.io');
    assert.equal(createRedactor({ salt }).redact('jane@acme.io'), again);
    const other = await loadOrCreateRedactionSalt(join(dir, 'other'));
    assert.notDeepEqual(other, salt);
    assert.notEqual(createRedactor({ salt: other }).redact('jane@acme.io'), again);
  });

  it('gives concurrent first runs the same salt and leaves no temporary files', async () => {
    const salts = await Promise.all(Array.from({ length: 12 }, () => loadOrCreateRedactionSalt(dir)));
    for (const s of salts) assert.deepEqual(s, salts[0]);
    assert.deepEqual(await readdir(dir), [REDACTION_SALT_FILE]);
  });

  it('tightens a salt file that others could read (POSIX modes)', async () => {
    await loadOrCreateRedactionSalt(dir);
    const path = join(dir, REDACTION_SALT_FILE);
    await chmod(path, 0o644);
    await loadOrCreateRedactionSalt(dir);
    assert.equal((await stat(path)).mode & 0o777, process.platform === 'win32' ? (await stat(path)).mode & 0o777 : 0o600);
  });

  it('refuses a damaged or unreadable salt with one line naming the file and the fix', async () => {
    const path = join(dir, REDACTION_SALT_FILE);
    await writeFile(path, 'not hex\n');
    await assert.rejects(loadOrCreateRedactionSalt(dir), (err: Error) => {
      assert.ok(err.message.includes(path) && /damaged/.test(err.message) && /delete it/.test(err.message), err.message);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
    await rm(path);
    await mkdir(path);
    await assert.rejects(loadOrCreateRedactionSalt(dir), (err: Error) => {
      assert.ok(err.message.includes(path) && /Cannot read/.test(err.message) && /EISDIR/.test(err.message), err.message);
      return true;
    });
  });
});
