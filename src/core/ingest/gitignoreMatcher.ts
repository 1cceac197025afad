/**
 * Git's ignore rules over several .gitignore files, pure (the caller reads the files): each file
 * applies to its own folder and below, a deeper file overrides a shallower one, and nothing under
 * an ignored folder can be re-included. Matching itself is the `ignore` package (gitignore spec).
 */
import ignore from 'ignore';
import type { Ignore } from 'ignore';

interface Level {
  /** Folder of the rules file relative to the root ('' = the root), '/' separators. */
  dir: string;
  /** For rules files above the root: the root's path relative to the rules file's folder + '/'. */
  prefix: string;
  rules: Ignore;
}

/** Answers "would git ignore this path?" for a root with .gitignore files at several levels. */
export class GitignoreMatcher {
  private readonly levels: Level[] = [];
  private readonly dirCache = new Map<string, boolean>();

  /**
   * Adds the rules of one file. Add in precedence order: `.git/info/exclude`, then .gitignore
   * files from the top of the repository down. `dir` is the file's folder relative to the root;
   * `above` is the root's path relative to a folder above the root (for a repository's outer
   * .gitignore files), e.g. 'docs/site'.
   */
  add(content: string, where: { dir?: string; above?: string }): void {
    const rules = ignore({ allowRelativePaths: true }).add(content);
    this.levels.push({ dir: where.dir ?? '', prefix: where.above ? `${where.above.replace(/\/+$/, '')}/` : '', rules });
    this.dirCache.clear();
  }

  /** Number of rules files added. */
  get size(): number {
    return this.levels.length;
  }

  private pathFor(level: Level, path: string): string | undefined {
    if (level.prefix) return level.prefix + path;
    if (level.dir === '') return path;
    return path.startsWith(`${level.dir}/`) ? path.slice(level.dir.length + 1) : undefined;
  }

  // Last matching rule wins, deeper files after shallower ones, as git evaluates them.
  private matches(path: string, isDir: boolean): boolean {
    let ignored = false;
    for (const level of this.levels) {
      const local = this.pathFor(level, path);
      if (local === undefined || local === '') continue;
      const result = level.rules.test(isDir ? `${local}/` : local);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
  }

  /** True when git would ignore the file at `path` (relative to the root, '/' separators). */
  ignores(path: string): boolean {
    if (this.levels.length === 0) return false;
    const parts = path.split('/');
    let dir = '';
    for (let i = 0; i < parts.length - 1; i++) {
      dir = dir ? `${dir}/${parts[i]}` : (parts[i] as string);
      let ignored = this.dirCache.get(dir);
      if (ignored === undefined) {
        ignored = this.matches(dir, true);
        this.dirCache.set(dir, ignored);
      }
      if (ignored) return true;
    }
    return this.matches(path, false);
  }
}
