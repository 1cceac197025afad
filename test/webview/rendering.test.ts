/**
 * Model output is untrusted: nothing in it may run or inject HTML. Also how the answer re-renders
 * while it streams, and how it looks in each theme (screenshots in test-artifacts/webview/).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ANSWER, chunks, done, init, SOURCES, turnStart } from './fixtures';
import type { Harness } from './harness';
import { ChatPage, startHarness } from './harness';
import { THEMES } from './themes';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'webview');

const HOSTILE = [
  'Here you go <script>window.__pwned = "script"</script>',
  '',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '',
  '[click me](javascript:window.__pwned=\'link\') and [run](command:workbench.action.quit) and <a href="javascript:window.__pwned=1">raw</a>',
  '',
  '<b>not bold</b> <iframe src="https://example.com"></iframe>',
  '',
  '![tracker](https://example.com/pixel.png)',
  '',
  '[safe link](https://docs.aws.amazon.com/bedrock/)',
].join('\n');

async function startAnswer(chat: ChatPage, question: string): Promise<string> {
  await chat.send(init());
  await chat.page.locator('vscode-textarea').click();
  await chat.page.keyboard.type(question);
  await chat.page.keyboard.press('Enter');
  const sent = await chat.waitForPosted('chat/send');
  await chat.send(turnStart(sent.requestId, sent.text));
  await chat.send({ type: 'chat/sources', requestId: sent.requestId, sources: SOURCES });
  return sent.requestId;
}

describe('chat webview rendering (chromium)', function () {
  this.timeout(60_000);
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await harness?.close();
  });

  it('script, img onerror and javascript: payloads in model output do not run, and raw HTML shows as text', async () => {
    const chat = await ChatPage.open(harness);
    try {
      const requestId = await startAnswer(chat, 'Be evil');
      for (const chunk of chunks(requestId, HOSTILE, 5)) await chat.send(chunk);
      await chat.send(done(requestId));
      await chat.page.locator('.turn[data-status="done"]').waitFor();
      const body = chat.page.locator('.markdown-body');
      // Click every link except the one https link (a click on it would leave the page).
      for (const link of await body.locator('a:not([href^="https:"])').all()) await link.click();
      assert.equal(await chat.page.evaluate(() => window.__pwned), undefined);
      assert.equal(await body.locator('script, img, iframe, [onerror], b').count(), 0);
      const text = (await body.textContent()) ?? '';
      assert.match(text, /<script>window\.__pwned = "script"<\/script>/, 'raw HTML is shown as text');
      assert.match(text, /<b>not bold<\/b>/);
      const hrefs = await body.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.includes('https://docs.aws.amazon.com/bedrock/'));
      assert.deepEqual(
        hrefs.filter((href) => !href?.startsWith('https://')),
        [],
        'javascript: and command: hrefs are gone',
      );
      assert.deepEqual(chat.errors, []);
    } finally {
      await chat.close();
    }
  });

  it('keeps finished blocks in place while the tail of the answer streams', async () => {
    const chat = await ChatPage.open(harness);
    try {
      const requestId = await startAnswer(chat, 'Stream');
      await chat.send({ type: 'chat/chunk', requestId, text: 'First paragraph, finished.\n\nSecond' });
      await chat.page.locator('.markdown-body p:nth-of-type(2)').waitFor();
      await chat.page.evaluate(() => {
        (document.querySelector('.markdown-body p') as HTMLElement & { marked?: boolean }).marked = true;
      });
      await chat.send({ type: 'chat/chunk', requestId, text: ' paragraph grows' });
      await chat.page.waitForFunction(() => document.querySelectorAll('.markdown-body p')[1]?.textContent === 'Second paragraph grows');
      const kept = await chat.page.evaluate(
        () => (document.querySelector('.markdown-body p') as HTMLElement & { marked?: boolean }).marked,
      );
      assert.equal(kept, true, 'the first paragraph was not rebuilt');
    } finally {
      await chat.close();
    }
  });

  it('takes its colours from the theme (screenshots in light, dark and high contrast)', async () => {
    const colours: Record<string, string> = {};
    for (const [key, theme] of Object.entries(THEMES)) {
      const chat = await ChatPage.open(harness, theme, { width: 460, height: 900 });
      try {
        const requestId = await startAnswer(chat, 'How do I call Bedrock through a corporate proxy?');
        await chat.send({
          type: 'chat/step',
          requestId,
          step: { id: 's1', tool: 'search_docs', input: { query: 'proxy HTTPS_PROXY' }, resultChars: 5120 },
        });
        await chat.send({
          type: 'chat/step',
          requestId,
          step: { id: 's2', tool: 'read_file', input: { path: 'docs/guide/proxy.md' }, resultChars: 2048 },
        });
        for (const chunk of chunks(requestId, ANSWER, 12)) await chat.send(chunk);
        await chat.send(done(requestId, { contextDropped: { chunks: 2, turns: 0 } }));
        await chat.page.locator('.turn[data-status="done"]').waitFor();
        await chat.page.evaluate(() => document.fonts.ready);
        colours[key] = await chat.page
          .locator('.who')
          .first()
          .evaluate((el) => getComputedStyle(el).color);
        const codeBg = await chat.page.locator('.code-block').evaluate((el) => getComputedStyle(el).backgroundColor);
        const expected = theme.vars['--vscode-textCodeBlock-background'] ?? '';
        assert.equal(codeBg, hexToRgb(expected), `${theme.name}: code block background`);
        await chat.page.screenshot({ path: join(ARTIFACTS, `chat-${key}.png`) });
        assert.deepEqual(await chat.cspViolations(), []);
      } finally {
        await chat.close();
      }
    }
    assert.equal(new Set(Object.values(colours)).size, 3, 'each theme has its own foreground');
  });
});

function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1, 7), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
