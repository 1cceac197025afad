/**
 * One fake Bedrock per extension-host run, started before any test so the AWS env points at it
 * before the extension activates. The extension host is one process shared by every suite and
 * the extension activates once, so a per-suite server would leave it talking to a closed port.
 */
import * as vscode from 'vscode';
import { EXTENSION_ID } from './hostState';

/** The part of test/fakes' FakeBedrock this helper needs (the real type has more). */
export interface FakeServer {
  /** Variables to spread into process.env (endpoint, test credentials, region). */
  env: Record<string, string>;
  close(): Promise<void> | void;
}

let running: Promise<FakeServer> | undefined;
let activeWhenInstalled: boolean | undefined;
let current: FakeServer | undefined;
const savedEnv = new Map<string, string | undefined>();

/**
 * Starts the shared fake (first caller wins) and returns an accessor for it.
 * Call it at the TOP LEVEL of a suite file, not inside `describe`: mocha then registers the hook on
 * the root suite, which runs before every suite in every file, so `process.env` is set before any
 * test activates the extension. Usage:
 *   const fake = useFakeBedrock(startFakeBedrock);   // startFakeBedrock from test/fakes
 *   it('...', () => { assert.equal(fake().requests.length, 1); });
 */
export function useFakeBedrock<F extends FakeServer>(start: () => Promise<F>): () => F {
  before(async function () {
    this.timeout(30_000);
    running ??= start().then((fake) => {
      for (const [key, value] of Object.entries(fake.env)) {
        if (!savedEnv.has(key)) savedEnv.set(key, process.env[key]);
        process.env[key] = value;
      }
      current = fake;
      activeWhenInstalled = vscode.extensions.getExtension(EXTENSION_ID)?.isActive ?? false;
      return fake;
    });
    await running;
  });
  return () => {
    if (!current) throw new Error('the fake Bedrock is not running: call useFakeBedrock() at the top level of the suite file');
    return current as F;
  };
}

/** Whether the extension was already active when the fake's env went in; undefined before that. */
export function extensionActiveWhenFakeInstalled(): boolean | undefined {
  return activeWhenInstalled;
}

/** Closes the shared fake and restores the env; run() calls it after mocha ends. */
export async function stopFakeBedrock(): Promise<void> {
  const fake = current;
  running = undefined;
  current = undefined;
  activeWhenInstalled = undefined;
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  savedEnv.clear();
  await fake?.close();
}
