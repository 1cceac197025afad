import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionUnderTest, hostStart } from '../hostState';

interface Manifest {
  activationEvents?: string[];
  contributes?: { commands?: Array<{ command: string; title: string }>; views?: Record<string, Array<{ id: string }>> };
}

/** Where the AWS SDK could find real credentials in this host; run.sh leaves none. */
function realCredentialSources(): string[] {
  const env = process.env;
  const found: string[] = [];
  const fakeEndpoint = /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ?? '');
  // Keys are fine only when they are the fake Bedrock's, pointed at 127.0.0.1 (see fakeBedrockHost.ts).
  if (env.AWS_ACCESS_KEY_ID && !fakeEndpoint) found.push('AWS_ACCESS_KEY_ID');
  for (const key of [
    'AWS_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  ]) {
    if (env[key]) found.push(key);
  }
  const files = [
    env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws/credentials'),
    env.AWS_CONFIG_FILE ?? join(homedir(), '.aws/config'),
  ];
  for (const file of files) if (existsSync(file)) found.push(file);
  return found;
}

describe('the Bedrock Docs extension', () => {
  it('is installed from the copy under test', () => {
    const ext = extensionUnderTest();
    console.log(`[host] ${EXTENSION_ID} ${(ext.packageJSON as { version: string }).version} loaded from ${ext.extensionPath}`);
    // run.sh names the folder it meant to test: the dev folder, a broken copy, or the .vsix install.
    const expected = process.env.BEDROCK_DOCS_TEST_EXT_DIR;
    if (expected) assert.ok(ext.extensionPath.startsWith(expected), `expected the extension under ${expected}, got ${ext.extensionPath}`);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
  });

  it('activates lazily: not active before its first command or view', () => {
    const events = (extensionUnderTest().packageJSON as Manifest).activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation events: ${events.join(', ')}`);
    assert.equal(hostStart().extensionActive, false, 'the extension was already active when the tests started');
  });

  it('activates without AWS credentials and without throwing', async () => {
    assert.deepEqual(realCredentialSources(), [], 'precondition: the host must see no real AWS credentials');
    const ext = extensionUnderTest();
    if (ext.isActive) {
      console.log('[host] activation time not measured: an earlier test already activated the extension');
    } else {
      const t0 = performance.now();
      await ext.activate();
      console.log(`[host] activation took ${(performance.now() - t0).toFixed(1)} ms (measured in the host)`);
    }
    assert.equal(ext.isActive, true);
  });

  it('registers exactly the commands package.json contributes', async () => {
    const ext = extensionUnderTest();
    await ext.activate();
    const contributed = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command).sort();
    for (const id of contributed) assert.match(id, /^bedrockDocs\.[a-z][A-Za-z0-9.]*$/, 'command ids are bedrockDocs.<verb>');
    // Ids starting with `bedrockDocs._` are internal helpers and need no contribution; VS Code
    // itself registers `<viewId>.focus`, `.open`, ... for each contributed view.
    const viewIds = Object.values((ext.packageJSON as Manifest).contributes?.views ?? {})
      .flat()
      .map((v) => `${v.id}.`);
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('bedrockDocs.') && !id.startsWith('bedrockDocs._') && !viewIds.some((v) => id.startsWith(v)))
      .sort();
    console.log(`[host] ${contributed.length} contributed command(s), ${registered.length} registered`);
    assert.deepEqual(registered, contributed, 'registered bedrockDocs.* commands differ from contributes.commands');
  });
});
