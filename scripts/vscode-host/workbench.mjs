// Playwright helpers for the VS Code (code-server) workbench, shared by driver.mjs and the UI steps
// in test/integration/ui/steps.mjs. Selectors are the workbench's own DOM classes (checked against
// code-server 4.139.1 / VS Code 1.139.1); they change rarely, but they are not an API.

/** Resolves when the workbench shell is on screen; throws after timeoutMs (ms). */
export async function waitForWorkbench(page, timeoutMs) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Runs the command titled `title` (e.g. "File: New Untitled Text File") from the command palette:
 * F1, type the title, click the row whose label is exactly the title. An extension's commands
 * appear only after it registers them (seconds after the workbench shows), so it retries until
 * timeoutMs (ms). Returns the number of attempts.
 */
export async function runFromPalette(page, title, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
    .first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: 1_500 });
      await row.click();
      return attempt;
    } catch {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`command "${title}" did not appear in the palette after ${attempt} attempts`);
      await page.waitForTimeout(500);
    }
  }
}

/**
 * Finds the webview whose document matches `selector`. Each webview is an `iframe.webview.ready`
 * holding the content in a nested `iframe#active-frame` (code-server serves both from its own
 * origin). Returns a FrameLocator for the inner document; throws after timeoutMs (ms).
 */
export async function findWebview(page, selector, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const outer = page.locator('iframe.webview.ready');
  for (;;) {
    const count = await outer.count();
    for (let i = 0; i < count; i++) {
      const inner = outer.nth(i).contentFrame().locator('iframe#active-frame').contentFrame();
      if (
        (await inner
          .locator(selector)
          .count()
          .catch(() => 0)) > 0
      )
        return inner;
    }
    if (Date.now() > deadline) throw new Error(`no webview (of ${count}) contains ${selector} after ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** Opens a workspace file through Quick Open (Ctrl+P), picking the first match for `query`. */
export async function quickOpen(page, query, { timeoutMs = 15_000 } = {}) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  await input.fill(query);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout: timeoutMs });
  await page.keyboard.press('Enter');
}
