/**
 * Model output -> safe HTML. Markdown by markdown-it with raw HTML off, code coloured by
 * highlight.js, `[n]` citations turned into buttons, then DOMPurify: the answer is untrusted text,
 * and nothing reaches the DOM without passing all three.
 */
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import type { Env, Token } from 'markdown-it';
import type { Source } from '../protocol/conversation';
import { highlightCode } from './highlight';

interface RenderEnv extends Env {
  sources?: readonly Source[];
}

type MdToken = Token;
type TokenCtor = new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
// Images would load from anywhere the model names; the CSP blocks them anyway, so show none.
md.disable('image');

md.renderer.rules.fence = (tokens, idx) => {
  const token = tokens[idx] as MdToken;
  const language = token.info.trim().split(/\s/)[0] ?? '';
  const escapedLang = md.utils.escapeHtml(language);
  const code = highlightCode(token.content.replace(/\n$/, ''), language);
  return `<div class="code-block" data-lang="${escapedLang}"><pre><code class="hljs${language ? ` language-${escapedLang}` : ''}">${code}</code></pre></div>\n`;
};

// [1], [2, 3], [1][4]: numbers that name a known source become citation buttons.
const CITATION = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

md.core.ruler.after('text_join', 'citations', (state) => {
  const sources = (state.env as RenderEnv | undefined)?.sources ?? [];
  if (sources.length === 0) return;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const out: MdToken[] = [];
    let insideLink = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') insideLink++;
      if (token.type === 'link_close') insideLink--;
      if (token.type !== 'text' || insideLink > 0 || !token.content.includes('[')) {
        out.push(token);
        continue;
      }
      out.push(...splitCitations(token, sources, state.Token));
    }
    block.children = out;
  }
});

function splitCitations(token: MdToken, sources: readonly Source[], Token: TokenCtor): MdToken[] {
  const text = token.content;
  const out: MdToken[] = [];
  let last = 0;
  for (const match of text.matchAll(CITATION)) {
    const numbers = (match[1] ?? '').split(',').map((n: string) => Number(n.trim()));
    if (!numbers.every((n) => sources.some((s) => s.n === n))) continue;
    if (match.index > last) out.push(textToken(text.slice(last, match.index), Token));
    const cite = new Token('citation', '', 0);
    cite.meta = { numbers };
    out.push(cite);
    last = match.index + match[0].length;
  }
  if (last === 0) return [token];
  if (last < text.length) out.push(textToken(text.slice(last), Token));
  return out;
}

function textToken(content: string, Token: TokenCtor): MdToken {
  const t = new Token('text', '', 0);
  t.content = content;
  return t;
}

md.renderer.rules.citation = (tokens, idx, _options, env: Env | undefined) => {
  const numbers = (tokens[idx]?.meta as { numbers: number[] }).numbers;
  return numbers
    .map((n: number) => {
      const source = (env as RenderEnv | undefined)?.sources?.find((s) => s.n === n);
      const where = source ? `${source.path}:${source.startLine}-${source.endLine}` : '';
      const label = md.utils.escapeHtml(`Open source ${n}: ${where}`);
      return `<button type="button" class="citation" data-cite="${n}" title="${label}" aria-label="${label}">${n}</button>`;
    })
    .join('');
};

// Only web and mail links survive; relative, command: and javascript: hrefs are dropped.
const SAFE_URI = /^(?:https?:|mailto:)/i;

/** Sanitized HTML for an answer; `[n]` becomes a citation only when source n is known. */
export function renderAnswerHtml(markdown: string, sources: readonly Source[]): string {
  const env: RenderEnv = { sources };
  const html = md.render(markdown, env);
  return DOMPurify.sanitize(html, {
    ALLOWED_URI_REGEXP: SAFE_URI,
    FORBID_TAGS: ['style', 'img', 'svg', 'math', 'form', 'input', 'textarea', 'select', 'iframe', 'object', 'embed', 'video', 'audio'],
    FORBID_ATTR: ['style', 'id', 'name'],
  });
}
