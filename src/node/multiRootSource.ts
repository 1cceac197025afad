/**
 * Several workspace folders as one DocumentSource. With one folder, paths are relative to it; with
 * several, each path starts with its folder's name ("api/guide.md"), so citations stay unambiguous.
 */
import type { CallOptions, DocumentSource, SourceListing } from '../core/ports';

export interface NamedSource {
  name: string;
  root: string;
  source: DocumentSource;
}

export class MultiRootSource implements DocumentSource {
  constructor(readonly roots: readonly NamedSource[]) {}

  private get prefixed(): boolean {
    return this.roots.length > 1;
  }

  async list(options: CallOptions = {}): Promise<SourceListing> {
    const out: SourceListing = { files: [], skipped: [] };
    for (const root of this.roots) {
      const listing = await root.source.list(options);
      const prefix = this.prefixed ? `${root.name}/` : '';
      out.files.push(...listing.files.map((f) => ({ ...f, path: prefix + f.path })));
      out.skipped.push(...listing.skipped.map((s) => ({ ...s, path: prefix + s.path })));
    }
    return out;
  }

  async read(path: string, options: CallOptions = {}): Promise<Uint8Array> {
    const { root, relative } = this.locate(path);
    return root.source.read(relative, options);
  }

  /** The folder a path belongs to and the path inside it. */
  locate(path: string): { root: NamedSource; relative: string } {
    if (!this.prefixed) return { root: this.roots[0]!, relative: path };
    const slash = path.indexOf('/');
    const name = path.slice(0, slash);
    const root = this.roots.find((r) => r.name === name);
    if (!root || slash < 0) throw new Error(`no workspace folder for ${path}`);
    return { root, relative: path.slice(slash + 1) };
  }
}
