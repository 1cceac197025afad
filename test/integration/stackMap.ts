import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, dirname, relative, resolve } from 'node:path';

/**
 * Returns a function that rewrites `<bundle>:line:col` frames of a stack to the TypeScript lines
 * they came from, using the bundle's inline source map. Needed because the extension host installs
 * its own Error.prepareStackTrace, so Node's --enable-source-maps never applies there.
 * Identity when the bundle has no inline map.
 */
export function createStackMapper(bundlePath: string, root: string): (stack: string) => string {
  let map: SourceMap;
  try {
    const text = readFileSync(bundlePath, 'utf8');
    const inline = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(text);
    if (!inline?.[1]) return (stack) => stack;
    map = new SourceMap(JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8')));
  } catch {
    return (stack) => stack;
  }
  const name = basename(bundlePath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`[^\\s(]*${name}:(\\d+):(\\d+)`, 'g');
  return (stack) =>
    stack.replace(frame, (whole, line: string, column: string) => {
      // findEntry is 0-based; stack frames are 1-based.
      const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as Partial<{
        originalSource: string;
        originalLine: number;
        originalColumn: number;
      }>;
      if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) return whole;
      const source = relative(root, resolve(dirname(bundlePath), entry.originalSource));
      return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    });
}
