/**
 * Metadata filters as an Orama `where` clause over the stored documents' enum properties (path,
 * fileType, dirs): Orama resolves it to a set of internal ids before any scoring.
 */
import type { FileType } from '../chunk';
import type { SearchFilter } from './searchFilter';
import { hasFilter, matchGlob, normalizePrefix } from './searchFilter';

/**
 * Orama `where` for a filter; undefined = no filter; null = matches nothing. `files` are the
 * indexed paths (a prefix naming a file filters on the path, else on the folders).
 */
export function oramaWhere(
  filter: SearchFilter | undefined,
  files: ReadonlyMap<string, unknown>,
): Record<string, unknown> | undefined | null {
  if (!hasFilter(filter)) return undefined;
  const clauses: Array<Record<string, unknown>> = [];
  if (filter.pathPrefix) {
    const prefix = normalizePrefix(filter.pathPrefix);
    if (prefix !== '') {
      if (files.has(prefix)) clauses.push({ path: { eq: prefix } });
      else clauses.push({ dirs: { containsAll: [prefix] } });
    }
  }
  if (filter.glob) {
    const paths = matchGlob(filter.glob, files.keys());
    if (paths.length === 0) return null;
    clauses.push({ path: { in: paths } });
  }
  if (filter.fileTypes && filter.fileTypes.length > 0) clauses.push({ fileType: { in: filter.fileTypes as FileType[] } });
  if (clauses.length === 0) return undefined;
  if (clauses.length === 1) return clauses[0]!;
  return { and: clauses };
}
