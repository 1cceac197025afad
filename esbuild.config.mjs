// One build for every bundle: the extension host (CJS, vscode external), the CLI, and the webview.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';

/** @type {import('esbuild').BuildOptions} */
const base = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...base,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // unpdf (pdf.js) runs only in dist/ingestWorker.js: the extension host never loads it.
    external: ['vscode', 'unpdf'],
    // Prefer ESM entry points: jsonc-parser's UMD build hides its requires from the bundler.
    mainFields: ['module', 'main'],
  },
  {
    // Documents are parsed in a worker thread in the extension host (see src/node/ingestWorker.ts).
    ...base,
    entryPoints: ['src/node/ingestWorker.ts'],
    outfile: 'dist/ingestWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
  },
  {
    ...base,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...base,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'media/chat.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    // The usage report webview (src/usageview), a second small bundle beside the chat.
    ...base,
    entryPoints: ['src/usageview/main.ts'],
    outfile: 'media/usage.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    // The codicon font for the webview's icons: media/codicon.css + media/codicon.ttf.
    ...base,
    sourcemap: false,
    entryPoints: { codicon: 'node_modules/@vscode/codicons/dist/codicon.css' },
    outdir: 'media',
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  },
];

// Problem-matcher friendly: esbuild prints "✘ [ERROR]" lines; any error exits non-zero.
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
