/**
 * An Orama index component whose full-text side is our BM25F engine. Orama keeps the documents,
 * ids and metadata filters (`where` on enums: path, file type, folders) through its default index;
 * the `text` property goes to `TextEngine` instead of Orama's radix tree, whose scoring ranks
 * natural-language questions poorly (shared/reference/retrieval-facts.md) and costs 13-18 KB a
 * chunk. Orama's `search()` then calls our `search` with the `where` ids already resolved.
 *
 * Written against @orama/orama 3.1.18's `IIndex` (pinned in package.json): the default
 * implementation is wrapped, not copied.
 */
import { components } from '@orama/orama';
import type { AnyIndexStore, IIndex, SearchableType, SearchableValue, Tokenizer } from '@orama/orama';
import type { TextHit } from './textEngine';
import type { TextFields } from './textEngineData';

/** The schema property handled by the engine. */
export const TEXT_PROPERTY = 'text';

/** Fields of a stored Orama document that the engine indexes besides `text`. */
export interface TextDocumentShape {
  title: string;
  breadcrumb: string[];
  path: string;
  /** A contextual blurb, searched with the body. */
  context?: string;
}

/** What the component drives: the TextEngine, or a restore that has already loaded it. */
export interface TextSide {
  add(docId: number, fields: TextFields): void;
  /** `fields` are what was indexed, so the removal can visit only the doc's own postings. */
  remove(docId: number, fields: TextFields): void;
  search(query: string, k: number, allowed?: ReadonlySet<number>): TextHit[];
}

/** The engine's fields of a stored document whose `text` is `body`. */
export function textFieldsOf(body: string, doc: TextDocumentShape | undefined): TextFields {
  return {
    body: doc?.context ? `${doc.context}\n\n${body}` : body,
    title: doc?.title ?? '',
    headings: doc?.breadcrumb.join(' \n ') ?? '',
    path: doc?.path ?? '',
  };
}

type DefaultIndex = ReturnType<typeof components.index.createIndex>;
type Store = AnyIndexStore & { searchableProperties: string[]; searchablePropertiesWithTypes: Record<string, SearchableType> };

/**
 * Builds the component. `getDocument(id)` returns the stored document being inserted (Orama stores
 * it before indexing its properties), so title, headings and path are indexed with the text.
 * `maxCandidates` caps what one search hands back to Orama for sorting and paging.
 */
export function createTextIndexComponent(
  engine: TextSide,
  getDocument: (id: string) => TextDocumentShape | undefined,
  maxCandidates: number,
): IIndex<AnyIndexStore> {
  const base: DefaultIndex = components.index.createIndex();
  const component: IIndex<AnyIndexStore> = {
    ...(base as unknown as IIndex<AnyIndexStore>),
    create(orama, sharedInternalDocumentStore, schema) {
      const rest: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
      delete rest[TEXT_PROPERTY];
      const store = base.create(orama, sharedInternalDocumentStore, rest as typeof schema) as unknown as Store;
      store.searchableProperties.push(TEXT_PROPERTY);
      store.searchablePropertiesWithTypes[TEXT_PROPERTY] = 'string';
      return store;
    },
    insert(
      implementation,
      index,
      prop,
      id,
      internalId,
      value: SearchableValue,
      schemaType,
      language,
      tokenizer: Tokenizer,
      docsCount,
      options,
    ) {
      if (prop !== TEXT_PROPERTY) {
        return base.insert(
          implementation as never,
          index as never,
          prop,
          id,
          internalId,
          value,
          schemaType,
          language,
          tokenizer,
          docsCount,
          options,
        );
      }
      engine.add(internalId, textFieldsOf(String(value), getDocument(String(id))));
    },
    remove(implementation, index, prop, id, internalId, value, schemaType, language, tokenizer, docsCount) {
      if (prop !== TEXT_PROPERTY) {
        return base.remove(
          implementation as never,
          index as never,
          prop,
          id,
          internalId,
          value,
          schemaType,
          language,
          tokenizer,
          docsCount,
        );
      }
      engine.remove(internalId, textFieldsOf(String(value), getDocument(String(id))));
      return true;
    },
    search(_index, term, _tokenizer, _language, _properties, _exact, _tolerance, _boost, _relevance, _docsCount, whereFiltersIDs) {
      return engine.search(term, maxCandidates, whereFiltersIDs).map((hit) => [hit.docId, hit.score]);
    },
  };
  return component;
}
