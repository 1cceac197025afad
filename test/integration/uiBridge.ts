/**
 * Lets a test running inside the extension host ask the outside driver
 * (scripts/vscode-host/driver.mjs) to act on the real workbench UI, and wait for the answer.
 * Host -> driver: one console line `[ui-step] {json}` (the driver reads the host's console through
 * `codeAutomationLog`). Driver -> host: it writes `{ok, value | error}` to the request's
 * `resultFile` (same machine). The host exits when mocha ends, so UI work must happen inside a
 * test that waits for it: this is that wait.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set by run.sh when driver.mjs, which answers UI steps, drives this host. */
export const UI_DRIVER_ENV = 'BEDROCK_DOCS_TEST_UI_DRIVER';

/** Tests whose title contains this tag need the driver; run() leaves them out without one. */
export const UI_TAG = '@ui';

/** What the driver wrote back for one step. */
export type UiStepResult = { ok: true; value: unknown } | { ok: false; error: string };

let resultDir: string | undefined;
let nextId = 1;

/** True when a UI driver is attached to this host. */
export function hasUiDriver(): boolean {
  return process.env[UI_DRIVER_ENV] === '1';
}

/**
 * Runs the driver's step `name` (from test/integration/ui/steps.mjs) with `args` and returns its
 * value; throws with the driver's error, or after `timeoutMs` (ms) without an answer.
 */
export async function uiStep(name: string, args: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<unknown> {
  resultDir ??= mkdtempSync(join(tmpdir(), 'ui-steps-'));
  const id = String(nextId++);
  const resultFile = join(resultDir, `${id}.json`);
  console.log(`[ui-step] ${JSON.stringify({ id, name, args, resultFile })}`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // The driver renames a finished temp file into place, so an existing file is complete.
    if (existsSync(resultFile)) {
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as UiStepResult;
      if (!result.ok) throw new Error(`UI step ${name} failed in the driver: ${result.error}`);
      return result.value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`UI step ${name}: no answer from the driver within ${timeoutMs} ms (is scripts/vscode-host/driver.mjs attached?)`);
}
