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

describe('one door to Bedrock (every call metered by construction)', () => {
  const RAW_ADAPTERS =
    /\/bedrock\/(bedrockChatModel|titanEmbedder|cohereEmbedder|createEmbedder|reranker|knowledgeBaseRetriever|guardrailCheck|knowledgeBaseServices)$/;
  const ALLOWED: Record<string, RegExp> = {
    // The one builder of the ports: it wraps every adapter in the CallMeter before handing it out.
    'src/node/bedrockPorts.ts': RAW_ADAPTERS,
    // The adapter factories themselves (built only by bedrockPorts.ts).
    'src/node/bedrock/createEmbedder.ts': /\/(titanEmbedder|cohereEmbedder)$/,
    'src/node/bedrock/knowledgeBaseServices.ts': /\/(reranker|knowledgeBaseRetriever)$/,
  };

  it('builds the raw Bedrock adapters only in src/node/bedrockPorts.ts', () => {
    const bad: string[] = [];
    for (const f of files(join(root, 'src'))) {
      const rel = relative(root, f);
      for (const spec of imports(f)) {
        if (!spec.startsWith('.') || !RAW_ADAPTERS.test(join(relative(root, f), '..', spec))) continue;
        if (!ALLOWED[rel]?.test(spec)) bad.push(`${rel} imports ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('keeps the Bedrock SDK clients inside src/node/bedrock', () => {
    const bad = files(join(root, 'src'))
      .filter((f) => !relative(root, f).startsWith('src/node/bedrock/'))
      .filter((f) => imports(f).some((s) => s.startsWith('@aws-sdk/client-bedrock')));
    assert.deepEqual(
      bad.map((f) => relative(root, f)),
      [],
    );
  });

  it('gives every Bedrock port a required purpose', () => {
    const ports = readFileSync(join(root, 'src/core/ports.ts'), 'utf8');
    assert.match(ports, /converseStream\(request: ChatRequest, options: MeteredCallOptions\)/);
    assert.match(ports, /embed\(texts: string\[\], kind: EmbedPurpose, options: MeteredCallOptions\)/);
    assert.match(readFileSync(join(root, 'src/core/retrieval/rerank.ts'), 'utf8'), /options: MeteredCallOptions & \{ topN: number \}/);
  });
});
