/** YAML (`---`) or TOML (`+++`) front matter at the top of a Markdown file. */
export interface FrontMatter {
  /** Number of lines it takes, fences included. */
  lineCount: number;
  title?: string;
}

// Front matter longer than this is more likely a thematic break followed by prose.
const MAX_LINES = 500;

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1).trim();
  return v;
}

/**
 * Finds front matter in the first lines of a document and reads its top-level `title`. Only the
 * title is needed, so this reads the one key rather than parsing YAML/TOML.
 */
export function readFrontMatter(lines: (index: number) => string | undefined): FrontMatter | undefined {
  const fence = lines(0)?.trimEnd();
  if (fence !== '---' && fence !== '+++') return undefined;
  const titleKey = fence === '---' ? /^title\s*:\s*(.*)$/ : /^title\s*=\s*(.*)$/;
  let title: string | undefined;
  for (let i = 1; i < MAX_LINES; i++) {
    const line = lines(i);
    if (line === undefined) return undefined;
    const trimmed = line.trimEnd();
    if (trimmed === fence || (fence === '---' && trimmed === '...')) return { lineCount: i + 1, title };
    const match = titleKey.exec(line);
    if (match && title === undefined) {
      const value = unquote(match[1] ?? '');
      if (value !== '' && value !== '|' && value !== '>') title = value;
    }
  }
  return undefined;
}
