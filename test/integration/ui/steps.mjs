// UI steps the driver (scripts/vscode-host/driver.mjs) runs on the real workbench. A test inside
// the host asks for one with uiStep(name, args) (test/integration/uiBridge.ts) and waits; the
// driver's `ui` mode runs them by name without tests. Add a step here when a suite needs the UI:
// `async (ctx, args) => value`, value JSON-serialisable; throw to fail the asking test.
// ctx: { page, log(msg), screenshot(name) -> png path, palette(title), findWebview(selector), quickOpen(query) }

/** Runs `args.title` from the command palette, retrying until the command is registered. */
export async function palette(ctx, args) {
  const attempts = await ctx.palette(String(args.title));
  ctx.log(`palette: ran "${args.title}" (attempt ${attempts})`);
  return { attempts };
}

/** Types args.text into the harness probe webview, clicks Send, returns the ack the webview shows. */
export async function webviewProbe(ctx, args) {
  const view = await ctx.findWebview('#probe-input');
  const input = view.locator('#probe-input');
  await input.click();
  await input.pressSequentially(String(args.text), { delay: 5 });
  await view.locator('#probe-send').click();
  const ack = view.locator('#probe-ack');
  await ack.filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
  const shown = (await ack.textContent()) ?? '';
  ctx.log(`webview shows: "${shown}"`);
  await ctx.screenshot(String(args.screenshot ?? 'webview-probe'));
  return shown;
}

/** ui-mode demo on a built-in webview: open a Markdown file, open its preview from the palette, click its heading. */
export async function markdownPreview(ctx, args) {
  await ctx.quickOpen(String(args.query ?? '.md'));
  await ctx.palette('Markdown: Open Preview');
  const view = await ctx.findWebview('h1, h2');
  const heading = view.locator('h1, h2').first();
  await heading.click();
  const text = (await heading.textContent())?.trim() ?? '';
  ctx.log(`markdown preview heading: "${text}"`);
  await ctx.screenshot('markdown-preview');
  return text;
}

/**
 * Asks the Bedrock Docs chat a question: types it in the composer, presses Enter, waits until the
 * answer shows args.expect, screenshots, then clicks citation [1] (the host test checks the editor).
 */
export async function chatAsk(ctx, args) {
  const view = await ctx.findWebview('vscode-textarea');
  // A fresh conversation, so the question is not a follow-up of what earlier tests asked.
  await view.locator('[data-action="new-chat"]').click();
  await view.locator('vscode-textarea').click();
  await ctx.page.keyboard.type(String(args.question), { delay: 5 });
  await ctx.page.keyboard.press('Enter');
  const answer = view.locator('.turn .response').last();
  await answer.filter({ hasText: String(args.expect ?? '') }).waitFor({ timeout: 30_000 });
  // Wait for the footer (usage) so the screenshot shows a finished answer.
  await view.locator('.turn .response .citation').first().waitFor({ timeout: 30_000 });
  await ctx.page.waitForTimeout(500);
  const shown = (await answer.textContent()) ?? '';
  await ctx.screenshot(String(args.screenshot ?? 'chat-answer'));
  await view.locator('.turn .response .citation').first().click();
  ctx.log(`chat answer: "${shown.slice(0, 120)}"`);
  return shown;
}
