// `npm run build:tests`: bundles the in-host integration runner and every suite into one CommonJS
// file, dist-test/integration/index.js, the `extensionTestsPath` the extension host loads.
// - `vscode` stays external (the host provides it); mocha and node:assert are bundled, so the
//   bundle runs from any folder (also against an installed .vsix) without node_modules.
// - One bundle, not one per suite: helpers such as the shared fake Bedrock instance are single
//   modules. Suites are listed at build time from test/integration/suite/*.test.ts; each is
//   required lazily by run() so mocha can attribute its tests to the file.
import console from 'node:console';
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const suiteDir = join(root, 'test/integration/suite');
const outfile = join(root, 'dist-test/integration/index.js');

/** Resolves `integration-suites` to a module listing every suite file with a lazy loader. */
const suitesPlugin = {
  name: 'integration-suites',
  setup(build) {
    build.onResolve({ filter: /^integration-suites$/ }, () => ({ path: 'integration-suites', namespace: 'suites' }));
    build.onLoad({ filter: /.*/, namespace: 'suites' }, () => {
      const files = readdirSync(suiteDir)
        .filter((f) => f.endsWith('.test.ts'))
        .sort();
      if (files.length === 0) throw new Error(`no *.test.ts in ${relative(root, suiteDir)}`);
      const entries = files.map((f) => {
        const abs = JSON.stringify(join(suiteDir, f));
        return `  { file: ${JSON.stringify(relative(root, join(suiteDir, f)))}, load: () => require(${abs}) },`;
      });
      return { contents: `export const suites = [\n${entries.join('\n')}\n];\n`, resolveDir: suiteDir, loader: 'js' };
    });
  },
};

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['test/integration/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Inline, so stackMap.ts can map failure stacks without another file (sources left out: size).
  sourcemap: 'inline',
  sourcesContent: false,
  external: ['vscode'],
  plugins: [suitesPlugin],
  logLevel: 'warning',
  // mocha probes optional reporters/ui by name at runtime; none of those paths are used here.
  logOverride: { 'require-resolve-not-external': 'silent', 'unsupported-require-call': 'silent' },
  metafile: true,
});
const suites = Object.keys(result.metafile.inputs).filter((p) => p.startsWith('test/integration/suite/'));
console.log(`build:tests: ${relative(root, outfile)} (${suites.length} suite file(s))`);
