import assert from 'node:assert/strict';
import { renderWebviewHtml, webviewCsp } from '../../src/vscode/webviewHtml';

const options = {
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'aGVsbG8td29ybGQtbm9uY2U=',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/chat.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/chat.css',
  codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/codicon.css',
  title: 'Bedrock Docs',
};

function cspOf(html: string): Map<string, string> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  const decoded = content.replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return new Map(
    decoded
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(' ')[0] ?? '', d.slice(d.indexOf(' ') + 1)]),
  );
}

describe('webview HTML template', () => {
  it('has a strict CSP: nothing by default, nonce-only scripts, styles/fonts/images from the extension', () => {
    const csp = cspOf(renderWebviewHtml(options));
    assert.equal(csp.get('default-src'), "'none'");
    assert.equal(csp.get('script-src'), `'nonce-${options.nonce}'`);
    assert.equal(csp.get('style-src'), options.cspSource);
    assert.equal(csp.get('font-src'), options.cspSource);
    assert.equal(csp.get('img-src'), `${options.cspSource} data:`);
    assert.equal(csp.get('base-uri'), "'none'");
    assert.doesNotMatch(webviewCsp(options.cspSource, options.nonce), /unsafe-inline|unsafe-eval|\*;|connect-src|frame-src/);
  });

  it('loads exactly one script, with the nonce, and no inline script', () => {
    const html = renderWebviewHtml(options);
    const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0], `<script nonce="${options.nonce}" src="${options.scriptUri}"></script>`);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /<style/i, 'no inline styles');
  });

  it('links the codicon stylesheet under the id the icon component looks for, only when given', () => {
    assert.match(
      renderWebviewHtml(options),
      /<link id="vscode-codicon-stylesheet" rel="stylesheet" href="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/media\/codicon\.css">/,
    );
    assert.doesNotMatch(renderWebviewHtml({ ...options, codiconsUri: undefined }), /codicon/);
  });

  it('escapes the URIs and the title', () => {
    const html = renderWebviewHtml({ ...options, title: '<Docs & "more">', styleUri: 'https://x/a.css?"><script>alert(1)</script>' });
    assert.match(html, /<title>&lt;Docs &amp; "more"&gt;<\/title>/);
    assert.match(html, /href="https:\/\/x\/a\.css\?&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });

  it('refuses a weak nonce or a CSP source that could inject directives', () => {
    assert.throws(() => renderWebviewHtml({ ...options, nonce: 'abc' }), /nonce/);
    assert.throws(() => renderWebviewHtml({ ...options, nonce: "aGVsbG8td29ybGQt'; script-src *" }), /nonce/);
    assert.throws(() => renderWebviewHtml({ ...options, cspSource: "https://x; script-src 'unsafe-inline'" }), /CSP source/);
    assert.throws(() => renderWebviewHtml({ ...options, cspSource: "'unsafe-inline'" }), /CSP source/);
    // code-server's webview.cspSource includes the 'self' keyword.
    assert.match(webviewCsp("'self' https://*.vscode-cdn.net", options.nonce), /style-src 'self' https:\/\/\*\.vscode-cdn\.net/);
    assert.doesNotThrow(() => renderWebviewHtml({ ...options, cspSource: "'self' https://*.vscode-cdn.net" }));
  });
});
