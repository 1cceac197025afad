// `npm run test:electron`: the same integration suites through @vscode/test-electron, on machines
// that can download VS Code desktop. Where the download cannot happen (offline CI: only npm and
// apt reachable) it says so on one line and exits 0 quickly; `npm run test:vscode` is the route
// that runs here. Tests tagged @ui need driver.mjs and are left out by the runner on this route.
import console from 'node:console';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// test-electron's own timeout is per idle socket; this bounds the whole probe (DNS included), ms.
const DOWNLOAD_PROBE_MS = 20_000;
const silent = { report() {}, error() {} };

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await Promise.race([
    downloadAndUnzipVSCode({ version: 'stable', cachePath: join(repo, '.vscode-test'), timeout: 10_000, reporter: silent }),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${DOWNLOAD_PROBE_MS / 1000}s`)), DOWNLOAD_PROBE_MS).unref(),
    ),
  ]);
} catch (err) {
  const reason = String(err?.message ?? err)
    .split('\n')[0]
    .slice(0, 160);
  console.log(`test:electron skipped: cannot download VS Code desktop (${reason})`);
  process.exit(0);
}

for (const script of ['build', 'build:tests']) execFileSync('npm', ['run', script, '--silent'], { cwd: repo, stdio: 'inherit' });

const run = mkdtempSync(join(tmpdir(), 'vsc-electron-'));
const workspace = join(run, 'workspace');
const fixture = join(repo, 'test/fixtures/docs');
if (existsSync(fixture) && readdirSync(fixture).length > 0) cpSync(fixture, workspace, { recursive: true });
else {
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# Fixture docs\n\nA tiny workspace for the host tests.\n');
}

let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repo,
    extensionTestsPath: join(repo, 'dist-test/integration/index.js'),
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${join(run, 'user')}`,
    ],
    // Same promise as run.sh: the host sees no real AWS credentials (undefined drops a variable).
    extensionTestsEnv: {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_BEARER_TOKEN_BEDROCK: undefined,
      AWS_CONFIG_FILE: join(run, 'aws/config'),
      AWS_SHARED_CREDENTIALS_FILE: join(run, 'aws/credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      BEDROCK_DOCS_TEST_EXT_DIR: repo,
    },
  });
} catch (err) {
  console.error(`test:electron: ${err?.message ?? err}`);
} finally {
  rmSync(run, { recursive: true, force: true });
}
console.log(`test:electron: VS Code exited with ${code}`);
process.exit(code);
