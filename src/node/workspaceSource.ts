/** The workspace folder on disk as a DocumentSource: discovery by globs and .gitignore, async reads. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallOptions, DocumentSource, SourceListing } from '../core/ports';
import type { Settings } from '../core/settings';
import { discoverFiles } from './discoverFiles';

export class WorkspaceSource implements DocumentSource {
  constructor(
    readonly root: string,
    private readonly settings: Pick<Settings, 'index.include' | 'index.exclude' | 'index.respectGitignore' | 'index.maxFileSizeKB'>,
    private readonly extraExclude: string[] = [],
  ) {}

  async list(options: CallOptions = {}): Promise<SourceListing> {
    const { files, skipped } = await discoverFiles(this.root, {
      include: this.settings['index.include'],
      exclude: [...this.settings['index.exclude'], ...this.extraExclude],
      respectGitignore: this.settings['index.respectGitignore'],
      maxFileSizeKB: this.settings['index.maxFileSizeKB'],
      signal: options.signal,
    });
    return { files: files.map((f) => ({ path: f.path, size: f.size, mtimeMs: f.mtimeMs })), skipped };
  }

  async read(path: string, options: CallOptions = {}): Promise<Uint8Array> {
    return readFile(join(this.root, path), { signal: options.signal });
  }
}
