// Renders media/icon.png (128x128, the Marketplace icon size) from the SVG below in headless
// chromium, so the icon is reproducible: `node scripts/vscode-host/makeIcon.mjs`.
import console from 'node:console';
import process from 'node:process';
import { chromium } from 'playwright-core';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'media/icon.png');

// A document with text lines on a dark slate tile, and an amber chat bubble holding a [1] citation.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2b3a4f"/><stop offset="1" stop-color="#16202d"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="24" fill="url(#tile)"/>
  <path d="M30 22h42l18 18v62a6 6 0 0 1-6 6H30a6 6 0 0 1-6-6V28a6 6 0 0 1 6-6z" fill="#f4f6f8"/>
  <path d="M72 22v14a4 4 0 0 0 4 4h14z" fill="#c9d2dc"/>
  <rect x="34" y="48" width="40" height="6" rx="3" fill="#9aa8b8"/>
  <rect x="34" y="60" width="46" height="6" rx="3" fill="#9aa8b8"/>
  <rect x="34" y="72" width="30" height="6" rx="3" fill="#9aa8b8"/>
  <path d="M70 74h38a8 8 0 0 1 8 8v20a8 8 0 0 1-8 8H90l-10 9v-9h-10a8 8 0 0 1-8-8V82a8 8 0 0 1 8-8z" fill="#ff9900"/>
  <text x="89" y="99" text-anchor="middle" font-family="DejaVu Sans Mono, monospace" font-weight="bold" font-size="19" fill="#16202d">[1]</text>
</svg>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
