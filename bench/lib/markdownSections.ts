/**
 * Heading sections of a Markdown file, cleaned the way a careful baseline needs: the AWS guides
 * backslash-escape punctuation (`1\.25 Gbps`) and tag headings with `<a name>` anchors, and both
 * keep numbers and hyphenated terms from ever matching a question.
 */

/** One heading section: the heading's own line through the line before the next heading. */
export interface MarkdownSection {
  /** Relative to the corpus root, '/' separators. */
  path: string;
  /** Heading path from the top of the file, e.g. ['Amazon EBS encryption', 'Requirements']. */
  breadcrumb: string[];
  /** Cleaned text, heading included. */
  text: string;
}

// CommonMark: any ASCII punctuation character may be backslash-escaped.
const BACKSLASH_ESCAPE = /\\([!-/:-@[-`{-~])/g;
const ANCHOR = /<a\s+(?:name|id)\s*=\s*["'][^"']*["']\s*>\s*<\/a>/gi;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Removes Markdown backslash escapes and empty `<a name>`/`<a id>` anchors. */
export function cleanMarkdown(text: string): string {
  return text.replace(ANCHOR, '').replace(BACKSLASH_ESCAPE, '$1');
}

/**
 * Splits a file at its ATX headings (`#` to `######`, not inside fenced code). Text before the
 * first heading is a section with an empty breadcrumb; empty sections are dropped.
 */
export function splitMarkdownSections(path: string, markdown: string): MarkdownSection[] {
  // Limit: setext headings (underlined with === or ---) are not split on; the AWS guides have none.
  const sections: MarkdownSection[] = [];
  const stack: Array<{ level: number; title: string }> = [];
  let lines: string[] = [];
  let breadcrumb: string[] = [];
  let fence: string | undefined;
  const flush = (): void => {
    const text = lines.join('\n').trim();
    if (text) sections.push({ path, breadcrumb, text });
    lines = [];
  };
  for (const raw of markdown.split(/\r?\n/)) {
    const line = cleanMarkdown(raw);
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1] as string;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    }
    const heading = fence === undefined ? ATX_HEADING.exec(line) : null;
    if (heading) {
      flush();
      const level = (heading[1] as string).length;
      const title = (heading[2] ?? '').trim();
      while (stack.length > 0 && (stack[stack.length - 1] as { level: number }).level >= level) stack.pop();
      stack.push({ level, title });
      breadcrumb = stack.map((h) => h.title);
      lines.push(title);
      continue;
    }
    lines.push(line);
  }
  flush();
  return sections;
}
