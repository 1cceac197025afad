/**
 * Runs the real chat bundle in headless Debian chromium: builds media/, serves it with a page
 * made by the real renderWebviewHtml (CSP included) from 127.0.0.1, and stubs acquireVsCodeApi
 * to record posted messages and keep setState across reloads (sessionStorage).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ExtensionMessage, WebviewMessage } from '../../src/protocol/messages';
import { renderWebviewHtml } from '../../src/vscode/webviewHtml';
import { ANSWER, chunks, done, SOURCES, turnStart } from './fixtures';
import type { Theme } from './themes';
import { THEMES, VSCODE_DEFAULT_STYLES } from './themes';

const ROOT = join(__dirname, '..', '..');
const MEDIA = join(ROOT, 'media');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

/** The same webview entries as esbuild.config.mjs, so the tests run what ships. */
export async function buildMedia(): Promise<void> {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'media/chat.js',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { codicon: 'node_modules/@vscode/codicons/dist/codicon.css' },
    outdir: 'media',
    bundle: true,
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** A browser and a server; one per test file. */
export interface Harness {
  browser: Browser;
  baseUrl: string;
  close(): Promise<void>;
}

/** Builds, serves and launches. Fails with the fix when chromium is missing. */
export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: flock /tmp/apt.lock apt-get install -y chromium (or set CHROMIUM_PATH)`);
  await buildMedia();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/') {
      const html = renderWebviewHtml({
        cspSource: origin,
        nonce: randomBytes(16).toString('base64'),
        scriptUri: `${origin}/media/chat.js`,
        styleUri: `${origin}/media/chat.css`,
        codiconsUri: `${origin}/media/codicon.css`,
        title: 'Bedrock Docs',
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    const file = normalize(join(ROOT, decodeURIComponent(url.pathname)));
    if (!file.startsWith(MEDIA + '/')) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

declare global {
  interface Window {
    __posted: unknown[];
    __cspViolations: string[];
    __pwned?: unknown;
  }
}

/** One webview: a fresh browser context, so saved state starts empty. */
export class ChatPage {
  /** Uncaught exceptions in the page; tests assert it stays empty. */
  readonly errors: string[] = [];

  private constructor(readonly page: Page) {
    page.on('pageerror', (err) => this.errors.push(err.message));
  }

  static async open(harness: Harness, theme: Theme = THEMES.dark, viewport = { width: 460, height: 820 }): Promise<ChatPage> {
    const context = await harness.browser.newContext({ viewport });
    // Only 127.0.0.1: anything else (a link, an image the model named) is refused.
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort('blockedbyclient'),
    );
    const page = await context.newPage();
    const options = { vars: theme.vars, bodyClass: theme.bodyClass, background: theme.background, defaultStyles: VSCODE_DEFAULT_STYLES };
    await page.addInitScript({ content: `(${STUB_SCRIPT})(${JSON.stringify(options)});` });
    const chat = new ChatPage(page);
    await chat.load(harness.baseUrl);
    return chat;
  }

  /** Loads (or reloads) the page and waits for the app to post ready. */
  async load(url?: string): Promise<void> {
    if (url) await this.page.goto(url);
    else await this.page.reload();
    await this.waitForPosted('ready');
  }

  /** Delivers a message the way VS Code does: a window message event. */
  async send(message: ExtensionMessage | unknown): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  /** Everything the webview posted since the last load. */
  async posted(): Promise<WebviewMessage[]> {
    return (await this.page.evaluate(() => window.__posted)) as WebviewMessage[];
  }

  /** The last posted message of `type`, waiting until it has been posted `count` times. */
  async waitForPosted<T extends WebviewMessage['type']>(type: T, count = 1): Promise<Extract<WebviewMessage, { type: T }>> {
    await this.page.waitForFunction(([t, n]) => window.__posted.filter((m) => (m as { type?: string }).type === t).length >= n, [
      type,
      count,
    ] as const);
    const all = (await this.posted()).filter((m) => m.type === type);
    return all[all.length - 1] as Extract<WebviewMessage, { type: T }>;
  }

  /** CSP violations the page reported (`directive blockedURI`). */
  async cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => window.__cspViolations);
  }

  /** Closes the page and its context. */
  async close(): Promise<void> {
    await this.page.context().close();
  }
}

/** Types a question, presses Enter and returns the chat/send it posted. */
export async function ask(chat: ChatPage, question: string) {
  await chat.page.locator('vscode-textarea').click();
  await chat.page.keyboard.type(question);
  await chat.page.keyboard.press('Enter');
  const count = (await chat.posted()).filter((m) => m.type === 'chat/send').length;
  return chat.waitForPosted('chat/send', Math.max(1, count));
}

/** Plays a whole answer: turnStart, sources, streamed chunks, done. */
export async function answer(
  chat: ChatPage,
  requestId: string,
  question: string,
  text = ANSWER,
  end: ExtensionMessage = done(requestId),
): Promise<void> {
  await chat.send(turnStart(requestId, question));
  await chat.send({ type: 'chat/sources', requestId, sources: SOURCES });
  for (const chunk of chunks(requestId, text)) await chat.send(chunk);
  await chat.send(end);
}

/**
 * Runs in the page before any of its scripts (Playwright init scripts are not subject to the CSP).
 * Kept as plain JavaScript text: tsx would wrap a TypeScript function with helpers the page lacks.
 */
const STUB_SCRIPT = `(options) => {
  const applyTheme = () => {
    const root = document.documentElement;
    for (const [name, value] of Object.entries(options.vars)) root.style.setProperty(name, value);
    root.style.background = options.background;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(options.defaultStyles);
    document.adoptedStyleSheets = [sheet];
  };
  // Init scripts run before <html> exists: apply the theme the moment it is parsed.
  if (document.documentElement) applyTheme();
  else new MutationObserver((_, observer) => {
    if (!document.documentElement) return;
    observer.disconnect();
    applyTheme();
  }).observe(document, { childList: true });
  document.addEventListener('DOMContentLoaded', () => document.body.classList.add(options.bodyClass));
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  let state = JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null');
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
    getState: () => state,
    setState: (next) => {
      state = next;
      sessionStorage.setItem('vscode-state', JSON.stringify(next));
    },
  });
}`;

/**
 * Mocha hooks for a describe block that drives one fresh chat page per test: one harness for the
 * block, and after each test no uncaught page error and no CSP violation. Returns a getter.
 */
export function useChatPage(): () => ChatPage {
  let harness: Harness | undefined;
  let chat: ChatPage | undefined;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    chat = await ChatPage.open(harness!);
  });
  afterEach(async () => {
    const errors = chat!.errors.slice();
    const violations = await chat!.cspViolations();
    await chat!.close();
    assert.deepEqual(errors, [], 'uncaught errors in the page');
    assert.deepEqual(violations, [], 'CSP violations');
  });
  return () => chat!;
}
