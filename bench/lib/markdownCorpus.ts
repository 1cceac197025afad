/** Loads a folder of Markdown files for the baselines: the AWS guides, or any docs folder. */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

/** One Markdown file, path relative to the corpus root with '/' separators. */
export interface MarkdownFile {
  path: string;
  text: string;
}

const MARKDOWN = /\.(md|markdown|mdx)$/i;

/** Every Markdown file under `root`, sorted by path so runs are reproducible. */
export async function loadMarkdownCorpus(root: string): Promise<MarkdownFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile() && MARKDOWN.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
  return Promise.all(paths.map(async (path) => ({ path, text: await readFile(join(root, path), 'utf8') })));
}

/** `shared/data/aws-docs-qa` next to the repository root, where a fresh clone finds it. */
export function defaultAwsDocsQaDir(repoRoot: string): string {
  return resolve(repoRoot, '..', 'shared', 'data', 'aws-docs-qa');
}
