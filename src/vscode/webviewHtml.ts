/**
 * The chat webview's HTML, filled by a pure function so the CSP can be unit-tested in plain Node.
 * No `vscode` import: the caller passes `webview.cspSource`, `asWebviewUri(...)` strings and a
 * nonce made with node:crypto (e.g. `randomBytes(16).toString('base64')`).
 */

/** What the template needs; URIs are already webview URIs (`webview.asWebviewUri(...).toString()`). */
export interface WebviewHtmlOptions {
  /** `webview.cspSource`, e.g. `https://*.vscode-cdn.net`. */
  cspSource: string;
  /** At least 128 bits from a CSPRNG, base64 or hex. */
  nonce: string;
  /** media/chat.js */
  scriptUri: string;
  /** media/chat.css */
  styleUri: string;
  /** media/codicon.css; the icon components look it up by the id `vscode-codicon-stylesheet`. */
  codiconsUri?: string;
  /** The document title (screen readers announce it). */
  title: string;
}

const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
// A CSP source list: schemes, hosts, wildcards and ports, or the 'self' keyword (code-server's
// cspSource is "'self' https://*.vscode-cdn.net"), separated by spaces. No other quotes, no ';'.
const CSP_SOURCE = /^(?:'self'|[A-Za-z0-9*.:/_-]+)(?: +(?:'self'|[A-Za-z0-9*.:/_-]+))*$/;

/**
 * The Content-Security-Policy: nothing by default; scripts only with the nonce; styles, fonts and
 * images only from the extension's media (plus data: images). Lit's components style themselves
 * through adoptedStyleSheets, which style-src does not govern, so no 'unsafe-inline' is needed.
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The page: CSP meta first, stylesheets, an empty app root, and the one nonce'd script. */
export function renderWebviewHtml(options: WebviewHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, codiconsUri, title } = options;
  if (!NONCE.test(nonce)) throw new Error('renderWebviewHtml: the nonce must be 16+ base64/hex characters from a CSPRNG');
  if (!CSP_SOURCE.test(cspSource.trim())) throw new Error(`renderWebviewHtml: not a CSP source list: ${JSON.stringify(cspSource)}`);
  const codicons = codiconsUri ? `\n    <link id="vscode-codicon-stylesheet" rel="stylesheet" href="${escapeAttribute(codiconsUri)}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(webviewCsp(cspSource.trim(), nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">${codicons}
    <link rel="stylesheet" href="${escapeAttribute(styleUri)}">
    <title>${escapeText(title)}</title>
  </head>
  <body>
    <div id="app" class="app" aria-busy="true"></div>
    <script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(scriptUri)}"></script>
  </body>
</html>
`;
}

/** Escapes a value for a double-quoted HTML attribute. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
