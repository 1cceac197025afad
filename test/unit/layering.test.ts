import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)|import\(['"]([^'"]+)['"]\)/g),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
}

describe('layering (shared/style/HOUSE-STYLE.md)', () => {
  it('keeps src/core and src/protocol free of vscode, the AWS SDK and I/O', () => {
    const bad: string[] = [];
    for (const f of [...files(join(root, 'src/core')), ...files(join(root, 'src/protocol'))]) {
      for (const spec of imports(f)) {
        if (
          /^(vscode|@aws-sdk\/|@smithy\/|(node:)?(fs|fs\/promises|net|http|http2|https|child_process))$/.test(spec) ||
          spec.startsWith('@aws-sdk/') ||
          spec.startsWith('@smithy/')
        )
          bad.push(`${relative(root, f)} imports ${spec}`);
        if (spec.startsWith('.') && /\/(node|vscode|cli|webview)\//.test(join(relative(root, f), '..', spec) + '/'))
          bad.push(`${relative(root, f)} imports ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('keeps vscode out of src/node and src/cli', () => {
    const bad = [...files(join(root, 'src/node')), ...files(join(root, 'src/cli'))].filter((f) => imports(f).includes('vscode'));
    assert.deepEqual(
      bad.map((f) => relative(root, f)),
      [],
    );
  });

  it('keeps retrieval and Bedrock logic out of src/vscode', () => {
    const bad = files(join(root, 'src/vscode')).filter((f) => imports(f).some((s) => s.startsWith('@aws-sdk/') || s === '@orama/orama'));
    assert.deepEqual(
      bad.map((f) => relative(root, f)),
      [],
    );
  });
});
