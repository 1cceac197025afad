import * as vscode from 'vscode';
import packageJson from '../../package.json';

/** `publisher.name` from package.json: the id VS Code gives the extension under test. */
export const EXTENSION_ID = `${packageJson.publisher}.${packageJson.name}`;

/** What the host looked like when run() started, before any suite could touch the extension. */
export interface HostStart {
  /** `Extension.isActive` at run() start; undefined when the extension is not installed. */
  extensionActive: boolean | undefined;
  /** performance.now() at run() start, ms. */
  at: number;
}

let start: HostStart | undefined;

/** Called once by run() before mocha loads the suites. */
export function recordHostStart(): HostStart {
  start = { extensionActive: vscode.extensions.getExtension(EXTENSION_ID)?.isActive, at: performance.now() };
  return start;
}

/** The snapshot taken by run(); throws when a suite is loaded outside run(). */
export function hostStart(): HostStart {
  if (!start) throw new Error('hostStart() is only available inside test/integration/index.ts run()');
  return start;
}

/** The extension under test, or a failed assertion naming the id that is missing. */
export function extensionUnderTest(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) {
    const ours = vscode.extensions.all.filter((e) => !e.id.startsWith('vscode.')).map((e) => e.id);
    throw new Error(`extension ${EXTENSION_ID} is not loaded in this host (non-builtin extensions: ${ours.join(', ') || 'none'})`);
  }
  return ext;
}
