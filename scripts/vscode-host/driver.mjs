#!/usr/bin/env node
// Drives a running code-server with headless Debian chromium (playwright-core) and reports the
// extension host's test result as its own exit code. Starts nothing but the browser: run.sh owns
// the server. Facts behind each choice: ../shared/reference/vscode-host.md.
//
//   node driver.mjs --server http://127.0.0.1:PORT --folder WS --ext EXT_DIR --tests TESTS_JS   (test mode)
//   node driver.mjs --server http://127.0.0.1:PORT --folder WS --ext EXT_DIR --run step1,step2  (ui mode)
// Options: --steps FILE (UI steps module), --artifacts DIR (screenshots, logs), --timeout SECONDS.
// Test mode: exit code = the host's (codeAutomationExit); the last stdout line is "N passed, N failed".
import console from 'node:console';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { chromium } from 'playwright-core';
import { mkdirSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import { format, parseArgs } from 'node:util';
import { findWebview, quickOpen, runFromPalette, waitForWorkbench } from './workbench.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values: opt } = parseArgs({
  options: {
    server: { type: 'string' },
    folder: { type: 'string' },
    ext: { type: 'string' },
    tests: { type: 'string' },
    run: { type: 'string' },
    steps: { type: 'string', default: join(repo, 'test/integration/ui/steps.mjs') },
    artifacts: { type: 'string', default: join(repo, 'test-artifacts/vscode') },
    timeout: { type: 'string', default: '240' },
  },
});
for (const required of ['server', 'folder', 'ext']) {
  if (!opt[required]) {
    console.error(`driver: --${required} is required (see the header of ${fileURLToPath(import.meta.url)})`);
    process.exit(2);
  }
}
if (!opt.tests && !opt.run) {
  console.error('driver: give --tests (test mode) or --run step,... (ui mode)');
  process.exit(2);
}

const t0 = performance.now();
let browser;
let page;
let exiting = false;
const stamp = () => `[driver ${((performance.now() - t0) / 1000).toFixed(1)}s]`;
// After a timeout or failure has started the exit, the interrupted flow stays quiet.
const log = (msg) => exiting || console.log(`${stamp()} ${msg}`);
const artifacts = resolve(opt.artifacts);
mkdirSync(artifacts, { recursive: true });
const consoleLog = join(artifacts, 'browser-console.log');
writeFileSync(consoleLog, '');

const server = new URL(opt.server);
// The host reads these only with --vscode-option enable-smoke-test-driver, and only as URIs into the remote.
const remote = (path) => `vscode-remote://${server.host}${resolve(path)}`;
const payload = [
  ['extensionDevelopmentPath', remote(opt.ext)],
  ['skipWelcome', 'true'],
];
if (opt.tests) payload.push(['extensionTestsPath', remote(opt.tests)]);
const url = `${server.origin}/?folder=${encodeURIComponent(resolve(opt.folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

const steps = await import(pathToFileURL(resolve(opt.steps)).href);
let phase = 'launching chromium';
let summary;
let nonLocal = 0;

const timeoutMs = Number(opt.timeout) * 1000;
const timer = setTimeout(() => {
  console.error(`driver: timed out after ${opt.timeout}s while ${phase}; the workbench state is in ${join(artifacts, 'timeout.png')}`);
  void finish(124, 'timeout.png');
}, timeoutMs);

/** Ends the run once (later calls are ignored): optional screenshot, request count, summary line. */
async function finish(code, screenshot) {
  if (exiting) return;
  exiting = true;
  clearTimeout(timer);
  if (screenshot) await page?.screenshot({ path: join(artifacts, screenshot) }).catch(() => {});
  console.log(`${stamp()} browser requests to non-local hosts: ${nonLocal}`);
  if (nonLocal > 0 && code === 0) {
    console.error('driver: the browser tried to reach non-local hosts (listed above); failing the run');
    code = 1;
  }
  await browser?.close().catch(() => {});
  if (summary) console.log(summary);
  process.exit(code);
}

const isLocal = (u) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
function countRequest(raw, why = '') {
  let u;
  try {
    u = new URL(raw);
  } catch {
    return;
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) || isLocal(u)) return;
  nonLocal++;
  if (nonLocal <= 5) log(`non-local request: ${raw}${why ? ` (${why})` : ''}`);
}

const ctxFor = (page) => ({
  page,
  log: (msg) => log(`[ui] ${msg}`),
  screenshot: async (name) => {
    const file = join(artifacts, `${name}.png`);
    await page.screenshot({ path: file });
    log(`screenshot ${file}`);
    return file;
  },
  palette: (title) => runFromPalette(page, title),
  findWebview: (selector) => findWebview(page, selector),
  quickOpen: (query) => quickOpen(page, query),
});

async function runStep(page, name, args) {
  const fn = steps[name];
  if (typeof fn !== 'function') throw new Error(`no UI step "${name}" in ${opt.steps}`);
  log(`ui step ${name} start`);
  const value = await fn(ctxFor(page), args ?? {});
  log(`ui step ${name} done`);
  return value;
}

// Steps asked for by the host run one at a time, in order, each answered through its result file.
let stepQueue = Promise.resolve();
function answerStep(page, request) {
  stepQueue = stepQueue.then(async () => {
    let result;
    try {
      result = { ok: true, value: (await runStep(page, request.name, request.args)) ?? null };
    } catch (err) {
      log(`ui step ${request.name} failed: ${err?.message ?? err}`);
      await ctxFor(page)
        .screenshot(`failed-${request.name}`)
        .catch(() => {});
      result = { ok: false, error: String(err?.message ?? err) };
    }
    writeFileSync(`${request.resultFile}.tmp`, JSON.stringify(result));
    renameSync(`${request.resultFile}.tmp`, request.resultFile);
  });
}

try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-dev-shm-usage',
      // Offline: nothing but loopback resolves, and the browser's own background traffic is off.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-domain-reliability',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--metrics-recording-only',
    ],
  });
  browser.on('disconnected', () => {
    if (!exiting) console.error(`driver: the browser went away while ${phase}`);
    void finish(1);
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Webview resources use https://*.vscode-resource.vscode-cdn.net URLs that the webview's service
  // worker answers locally: only requests that reached (or tried to reach) the network count.
  context.on('requestfinished', async (r) => {
    const response = await r.response().catch(() => null);
    if (!response?.fromServiceWorker()) countRequest(r.url());
  });
  context.on('requestfailed', (r) => {
    // *.vscode-resource.vscode-cdn.net is VS Code's internal name for a webview's local files, served
    // by the webview's service worker. A load that fails (the webview went away, or it raced the
    // service worker's start) is logged, not counted: the host name is not a server anyone reaches.
    if (/\.vscode-resource\.vscode-cdn\.net$/.test(new URL(r.url()).hostname)) {
      log(`webview resource not served by the service worker (${r.failure()?.errorText ?? 'failed'}): ${r.url()}`);
      return;
    }
    countRequest(r.url(), r.failure()?.errorText);
  });
  page = await context.newPage();
  page.on('websocket', (ws) => countRequest(ws.url()));
  page.on('console', (m) => appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e.message}\n`));
  page.on('crash', () => {
    if (!exiting) console.error(`driver: the workbench page crashed while ${phase}`);
    void finish(1);
  });

  const hostExit = new Promise((resolveExit) => {
    void page.exposeFunction('codeAutomationExit', (code, logs) => {
      // `logs` is [{relativePath, contents}] of the session's log files: keep them for diagnosis.
      for (const entry of Array.isArray(logs) ? logs : []) {
        const file = join(artifacts, 'logs', String(entry.relativePath).replace(/\.\.+/g, '_'));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, String(entry.contents));
      }
      resolveExit(Number(code));
    });
  });
  // The workbench's own log service shares this channel with the host's console; these routine
  // messages carry no test information, so they go to host-console.log only.
  const NOISE = [
    /^Ignoring fetching additional builtin extensions from gallery/,
    /^Updating additional builtin extensions cache/,
    /^Resolv(ing|ed) connection token/,
    /^Creating a socket \(/,
    /^\[(reconnection-grace-time|AccountPolicyGate|AgentHost:remote|Service Worker)\]/,
    /^Canceled: Canceled/, // pending workbench requests cancelled as the host exits
  ];
  const hostConsole = join(artifacts, 'host-console.log');
  writeFileSync(hostConsole, '');
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = Array.isArray(args) ? format(...args) : String(args);
    appendFileSync(hostConsole, `[${type}] ${text}\n`);
    if (NOISE.some((re) => re.test(text))) return;
    for (const line of text.split('\n')) {
      const step = /^\[ui-step\] (\{.*\})$/.exec(line);
      if (step) answerStep(page, JSON.parse(step[1]));
      if (/^\d+ passed, \d+ failed$/.test(line.trim())) summary = line.trim();
      console.log(`[exthost] ${line}`);
    }
  });

  phase = 'loading the workbench';
  log(`open ${server.origin} (${opt.tests ? 'test' : 'ui'} mode, extension ${opt.ext})`);
  await page.goto(url);
  await waitForWorkbench(page, timeoutMs);
  log('workbench visible');

  if (opt.tests) {
    phase = 'waiting for the extension host tests to finish';
    const code = await hostExit;
    await stepQueue;
    log(`extension host exit code: ${code}${summary ? '' : ' (no "N passed, N failed" line from the host)'}`);
    await finish(code);
  } else {
    let code = 0;
    for (const name of opt.run.split(',').filter(Boolean)) {
      phase = `running ui step ${name}`;
      try {
        const value = await runStep(page, name, {});
        log(`${name} -> ${JSON.stringify(value)}`);
      } catch (err) {
        console.error(`driver: ui step ${name} failed: ${err?.message ?? err}`);
        await ctxFor(page)
          .screenshot(`failed-${name}`)
          .catch(() => {});
        code = 1;
        break;
      }
    }
    await finish(code);
  }
} catch (err) {
  // Anything unexpected (no chromium, the page never loading...) ends the run with the phase named.
  if (!exiting) console.error(`driver: failed while ${phase}: ${err?.message ?? err}`);
  await finish(1, 'driver-error.png');
}
