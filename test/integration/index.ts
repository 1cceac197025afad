/**
 * The in-host test runner: the extension host loads the bundle of this file (dist-test/integration/
 * index.js, built by `npm run build:tests`) as `extensionTestsPath` and awaits run(); a rejection
 * makes the host exit 1, which the driver turns into its own exit code.
 * Suites: test/integration/suite/*.test.ts (mocha BDD, node:assert/strict). A new file there is
 * picked up by the next build, nothing to register.
 */
import { resolve } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { suites } from 'integration-suites';
import { recordHostStart } from './hostState';
import { stopFakeBedrock } from './fakeBedrockHost';
import { createStackMapper } from './stackMap';
import { hasUiDriver, UI_TAG } from './uiBridge';

/** Mocha's per-test timeout, ms; a test that drives the UI sets its own. */
const TEST_TIMEOUT_MS = 20_000;

/** Runs every suite once; resolves when all pass, rejects with the failure count otherwise. */
export async function run(): Promise<void> {
  const start = recordHostStart();
  // __filename is the bundle (dist-test/integration/index.js); the repo root is two levels up.
  const mapStack = createStackMapper(__filename, resolve(__dirname, '../..'));
  console.log(
    `[host] vscode ${vscode.version}, node ${process.version}, appHost ${vscode.env.appHost}, ` +
      `remote ${vscode.env.remoteName ?? 'none'}, extension active at start: ${start.extensionActive}`,
  );

  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, forbidOnly: true, timeout: TEST_TIMEOUT_MS });
  const grep = process.env.BEDROCK_DOCS_TEST_GREP;
  if (grep) mocha.grep(grep);
  else if (!hasUiDriver()) {
    // Hosts without driver.mjs (e.g. test:electron) cannot answer UI steps: leave those tests out.
    mocha.grep(UI_TAG).invert();
    console.log(`[host] no UI driver attached: tests tagged ${UI_TAG} are left out`);
  }

  // Load each suite the way mocha loads a file, so failures name it; a suite whose top level
  // throws fails the run instead of silently vanishing.
  const loadErrors: string[] = [];
  for (const suite of suites) {
    mocha.suite.emit('pre-require', globalThis, suite.file, mocha);
    try {
      mocha.suite.emit('require', suite.load(), suite.file, mocha);
    } catch (err) {
      loadErrors.push(`${suite.file}: ${err instanceof Error ? mapStack(err.stack ?? err.message) : String(err)}`);
    }
    mocha.suite.emit('post-require', globalThis, suite.file, mocha);
  }

  let stats: Mocha.Stats | undefined;
  try {
    for (const error of loadErrors) console.error(`[host] suite failed to load: ${error}`);
    const runner = await new Promise<Mocha.Runner>((done) => {
      const r: Mocha.Runner = mocha.run(() => done(r));
      // Before the reporter's summary prints it: point failure frames at the .ts lines.
      r.on('fail', (_test, err: Error) => {
        if (err?.stack) err.stack = mapStack(err.stack);
      });
    });
    stats = runner.stats;
  } finally {
    await stopFakeBedrock();
  }
  const passed = stats?.passes ?? 0;
  const failed = loadErrors.length + (stats?.failures ?? 0);
  // The driver and run.sh read this exact line: keep its shape.
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
