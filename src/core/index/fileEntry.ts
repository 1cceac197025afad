/**
 * Per indexed file: its chunk ids, and the strings its chunks share (path, folders, title,
 * breadcrumbs). 100k chunks of ~10k files would otherwise hold ~10 copies of each.
 */
import { ancestorFolders } from './searchFilter';

/** One indexed file. */
export interface FileEntry {
  path: string;
  dirs: string[];
  ids: Set<string>;
  shared: Map<string, string | string[]>;
}

/** A new entry for a file with no chunks yet. */
export function fileEntry(path: string): FileEntry {
  return { path, dirs: ancestorFolders(path), ids: new Set(), shared: new Map() };
}

/** The file's copy of a string (the first one seen). */
export function sharedString(entry: FileEntry, value: string): string {
  const known = entry.shared.get(value);
  if (typeof known === 'string') return known;
  entry.shared.set(value, value);
  return value;
}

/** The file's copy of a list of strings: chunks of one section share one array (callers must not mutate it). */
export function sharedList(entry: FileEntry, values: readonly string[]): string[] {
  const key = `\u0000${values.join('\u0000')}`;
  const known = entry.shared.get(key);
  if (Array.isArray(known)) return known;
  const list = values.map((v) => sharedString(entry, v));
  entry.shared.set(key, list);
  return list;
}
