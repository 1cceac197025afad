/**
 * The parts of an Orama 3.1 database the hybrid index reads beyond the public API (pinned in
 * package.json; read in dist/esm/components/internal-document-id-store.js and index.js): the
 * string id <-> internal id maps, the document count, and the where-clause resolver. Kept in one
 * place so an Orama upgrade has one file to check.
 */
import type { AnyOrama } from '@orama/orama';

interface Internals {
  internalDocumentIDStore: { idToInternalId: Map<string, number>; internalIdToId: string[] };
  data: { docs: { count: number }; index: unknown };
  index: { searchByWhereClause: (index: unknown, tokenizer: unknown, where: unknown, language: string) => Set<number> };
  tokenizer: unknown;
}

const internals = (db: AnyOrama): Internals => db as unknown as Internals;

/** Orama's internal id of a document id, if it ever saw it (ids are never forgotten). */
export function internalIdOf(db: AnyOrama, id: string): number | undefined {
  return internals(db).internalDocumentIDStore.idToInternalId.get(id);
}

/** The document id behind an internal id. */
export function documentIdOf(db: AnyOrama, internalId: number): string | undefined {
  return internals(db).internalDocumentIDStore.internalIdToId[internalId - 1];
}

/** Documents stored. */
export function documentCount(db: AnyOrama): number {
  return internals(db).data.docs.count;
}

/** Internal ids matching a where clause: Orama's own resolver, the one its full-text search uses. */
export function idsWhere(db: AnyOrama, where: Record<string, unknown>): Set<number> {
  const d = internals(db);
  return d.index.searchByWhereClause(d.data.index, d.tokenizer, where, 'english');
}
