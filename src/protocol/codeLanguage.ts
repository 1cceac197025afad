/** Maps a Markdown fence's info string to a VS Code language id, for "new file" from a code block. */

// Common fence aliases whose VS Code id differs; anything else is used as written (VS Code ids are
// mostly the lowercase language name), and an empty fence is plaintext.
const ALIASES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascriptreact',
  mjs: 'javascript',
  cjs: 'javascript',
  node: 'javascript',
  py: 'python',
  python3: 'python',
  rb: 'ruby',
  rs: 'rust',
  golang: 'go',
  kt: 'kotlin',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  console: 'shellscript',
  ps1: 'powershell',
  pwsh: 'powershell',
  yml: 'yaml',
  md: 'markdown',
  jsonc: 'jsonc',
  json5: 'json',
  html: 'html',
  htm: 'html',
  xml: 'xml',
  svg: 'xml',
  'c++': 'cpp',
  cc: 'cpp',
  hpp: 'cpp',
  h: 'c',
  cs: 'csharp',
  'c#': 'csharp',
  fs: 'fsharp',
  dockerfile: 'dockerfile',
  docker: 'dockerfile',
  tf: 'terraform',
  hcl: 'terraform',
  text: 'plaintext',
  txt: 'plaintext',
  plain: 'plaintext',
  patch: 'diff',
  ini: 'ini',
  toml: 'toml',
  sql: 'sql',
  graphql: 'graphql',
  gql: 'graphql',
};

/** "ts" -> "typescript", "```python title=x" -> "python", "" -> "plaintext". */
export function languageIdForFence(info: string): string {
  const word = info.trim().split(/[\s{]/)[0]?.toLowerCase() ?? '';
  if (!word || !/^[a-z0-9#+._-]{1,40}$/.test(word)) return 'plaintext';
  return ALIASES[word] ?? word;
}
