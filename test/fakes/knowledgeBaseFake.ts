/**
 * Knowledge Bases for the fake agent runtime: scripted chunks per Knowledge Base ID, scored
 * deterministically (SEMANTIC: cosine of the fake embeddings; HYBRID: that plus query-word
 * coverage), metadata filters evaluated, and `Retrieve` answered in the real response shape.
 */
import { createHash } from 'node:crypto';
import { fakeEmbedding, fakeWords } from './fakeEmbedding';
import type { WireError } from './wireErrors';

/** One chunk in a fake Knowledge Base. */
export interface FakeKbDocument {
  text: string;
  /** `s3://bucket/key`, or an https URL (Confluence, SharePoint, Salesforce hosts are recognised). */
  uri: string;
  /** Overrides the location type inferred from the URI (S3, WEB, CONFLUENCE, SHAREPOINT, SALESFORCE, CUSTOM...). */
  locationType?: string;
  /** The data source's own metadata attributes (filterable), besides the x-amz-bedrock-kb-* ones. */
  metadata?: Record<string, unknown>;
}

/** The fake's data source id, reported in every chunk's metadata. */
export const FAKE_DATA_SOURCE_ID = 'FAKEDS0001';

const DIMENSIONS = 256;
const KB_ID = /^[0-9a-zA-Z]{1,10}$/;
const OPERATORS = [
  'equals',
  'notEquals',
  'greaterThan',
  'greaterThanOrEquals',
  'lessThan',
  'lessThanOrEquals',
  'in',
  'notIn',
  'startsWith',
  'listContains',
  'stringContains',
  'andAll',
  'orAll',
];

const coral = (value: unknown, path: string, constraint: string) =>
  `1 validation error detected: Value '${typeof value === 'object' ? JSON.stringify(value) : String(value)}' at '${path}' failed to satisfy constraint: ${constraint}`;

/** The wire location of a URI, as Bedrock reports it per data source type. */
export function locationOf(uri: string, override?: string): Record<string, unknown> {
  let host = '';
  try {
    host = new URL(uri).hostname;
  } catch {
    // not a URL: s3:// parses, custom ids may not
  }
  const type =
    override ??
    (uri.startsWith('s3://')
      ? 'S3'
      : /\.atlassian\.net$/.test(host)
        ? 'CONFLUENCE'
        : /\.sharepoint\.com$/.test(host)
          ? 'SHAREPOINT'
          : /(\.salesforce\.com|\.force\.com)$/.test(host)
            ? 'SALESFORCE'
            : uri.startsWith('custom:')
              ? 'CUSTOM'
              : 'WEB');
  switch (type) {
    case 'S3':
      return { type, s3Location: { uri } };
    case 'CONFLUENCE':
      return { type, confluenceLocation: { url: uri } };
    case 'SHAREPOINT':
      return { type, sharePointLocation: { url: uri } };
    case 'SALESFORCE':
      return { type, salesforceLocation: { url: uri } };
    case 'CUSTOM':
      return { type, customDocumentLocation: { id: uri.replace(/^custom:/, '') } };
    default:
      return { type, webLocation: { url: uri } };
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}

/** Share of the query's distinct words found in the text (0-1). */
export function wordCoverage(query: string, text: string): number {
  const wanted = new Set(fakeWords(query));
  if (wanted.size === 0) return 0;
  const have = new Set(fakeWords(text));
  let found = 0;
  for (const w of wanted) if (have.has(w)) found++;
  return found / wanted.size;
}

/** SEMANTIC: (1 + cosine) / 2 of the fake embeddings; HYBRID: the mean of that and word coverage. */
export function fakeKbScore(query: string, text: string, searchType: 'HYBRID' | 'SEMANTIC'): number {
  const semantic = (1 + cosine(fakeEmbedding(query, DIMENSIONS), fakeEmbedding(text, DIMENSIONS))) / 2;
  return searchType === 'HYBRID' ? (semantic + wordCoverage(query, text)) / 2 : semantic;
}

// A metadata filter, evaluated as Bedrock documents it; an unknown operator is the caller's error.
function matches(filter: Record<string, unknown>, metadata: Record<string, unknown>): boolean {
  const [op, body] = Object.entries(filter)[0] ?? [];
  if (op === 'andAll') return (body as Array<Record<string, unknown>>).every((f) => matches(f, metadata));
  if (op === 'orAll') return (body as Array<Record<string, unknown>>).some((f) => matches(f, metadata));
  const { key, value } = body as { key: string; value: unknown };
  const actual = metadata[key];
  switch (op) {
    case 'equals':
      return actual === value;
    case 'notEquals':
      return actual !== value;
    case 'greaterThan':
      return typeof actual === 'number' && actual > (value as number);
    case 'greaterThanOrEquals':
      return typeof actual === 'number' && actual >= (value as number);
    case 'lessThan':
      return typeof actual === 'number' && actual < (value as number);
    case 'lessThanOrEquals':
      return typeof actual === 'number' && actual <= (value as number);
    case 'in':
      return Array.isArray(value) && value.includes(actual);
    case 'notIn':
      return Array.isArray(value) && !value.includes(actual);
    case 'startsWith':
      return typeof actual === 'string' && actual.startsWith(String(value));
    case 'listContains':
      return Array.isArray(actual) && actual.includes(value);
    case 'stringContains':
      return typeof actual === 'string' && actual.includes(String(value));
    default:
      return false;
  }
}

function filterProblem(filter: unknown, path: string): string | undefined {
  if (typeof filter !== 'object' || filter === null) return coral(filter, path, 'Member must be an object');
  const keys = Object.keys(filter);
  if (keys.length !== 1 || !OPERATORS.includes(keys[0] as string))
    return `RetrievalFilter at '${path}' must set exactly one of: ${OPERATORS.join(', ')}`;
  const body = (filter as Record<string, unknown>)[keys[0] as string];
  if (keys[0] === 'andAll' || keys[0] === 'orAll') {
    if (!Array.isArray(body) || body.length < 2)
      return coral(body, `${path}.${keys[0]}`, 'Member must have length greater than or equal to 2');
    for (let i = 0; i < body.length; i++) {
      const p = filterProblem(body[i], `${path}.${keys[0]}.${i + 1}.member`);
      if (p) return p;
    }
    return undefined;
  }
  const key = (body as { key?: unknown } | null)?.key;
  if (typeof key !== 'string' || key === '') return coral(key, `${path}.${keys[0]}.key`, 'Member must not be null');
  return undefined;
}

interface RetrieveBody {
  retrievalQuery?: { text?: string; type?: string };
  retrievalConfiguration?: { vectorSearchConfiguration?: { numberOfResults?: number; overrideSearchType?: string; filter?: unknown } };
}

/** Every fake Knowledge Base of one server, by ID. */
export class FakeKnowledgeBases {
  private readonly bases = new Map<string, FakeKbDocument[]>();

  /** Adds chunks to a Knowledge Base (created on first use); the ID must look like a real one. */
  add(id: string, docs: FakeKbDocument[]): void {
    if (!KB_ID.test(id)) throw new Error(`fake Knowledge Base id "${id}" must be 1-10 letters and digits`);
    this.bases.set(id, [...(this.bases.get(id) ?? []), ...docs]);
  }

  /** Forgets every Knowledge Base. */
  clear(): void {
    this.bases.clear();
  }

  /** Answers one Retrieve: the JSON body, or the wire error Bedrock would send. */
  retrieve(id: string, json: unknown): { json: unknown } | { error: WireError } {
    if (!KB_ID.test(id))
      return {
        error: {
          type: 'ValidationException',
          message: coral(id, 'knowledgeBaseId', 'Member must satisfy regular expression pattern: [0-9a-zA-Z]+'),
        },
      };
    const docs = this.bases.get(id);
    if (!docs) return { error: { type: 'ResourceNotFoundException', message: `Knowledge Base with id ${id} does not exist` } };
    const body = (json ?? {}) as RetrieveBody;
    const query = body.retrievalQuery?.text;
    if (typeof query !== 'string' || query.trim() === '')
      return {
        error: {
          type: 'ValidationException',
          message: coral(query, 'retrievalQuery.text', 'Member must have length greater than or equal to 1'),
        },
      };
    const config = body.retrievalConfiguration?.vectorSearchConfiguration ?? {};
    const n = config.numberOfResults ?? 5;
    if (!Number.isInteger(n) || n < 1 || n > 100)
      return {
        error: {
          type: 'ValidationException',
          message: coral(n, 'retrievalConfiguration.vectorSearchConfiguration.numberOfResults', 'Member must have value between 1 and 100'),
        },
      };
    const searchType = config.overrideSearchType ?? 'SEMANTIC';
    if (searchType !== 'HYBRID' && searchType !== 'SEMANTIC')
      return {
        error: {
          type: 'ValidationException',
          message: coral(
            searchType,
            'retrievalConfiguration.vectorSearchConfiguration.overrideSearchType',
            'Member must satisfy enum value set: [HYBRID, SEMANTIC]',
          ),
        },
      };
    if (config.filter !== undefined) {
      const problem = filterProblem(config.filter, 'retrievalConfiguration.vectorSearchConfiguration.filter');
      if (problem) return { error: { type: 'ValidationException', message: problem } };
    }
    const scored = docs
      .map((doc, i) => {
        const chunkId = `${i + 1}:${createHash('sha256').update(`${id}\n${doc.uri}\n${doc.text}`).digest('hex').slice(0, 12)}`;
        const metadata = {
          'x-amz-bedrock-kb-source-uri': doc.uri,
          'x-amz-bedrock-kb-chunk-id': chunkId,
          'x-amz-bedrock-kb-data-source-id': FAKE_DATA_SOURCE_ID,
          ...doc.metadata,
        };
        return { doc, metadata, score: fakeKbScore(query, doc.text, searchType), order: i };
      })
      .filter((s) => config.filter === undefined || matches(config.filter as Record<string, unknown>, s.metadata))
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .slice(0, n);
    return {
      json: {
        retrievalResults: scored.map((s) => ({
          content: { type: 'TEXT', text: s.doc.text },
          location: locationOf(s.doc.uri, s.doc.locationType),
          score: Number(s.score.toFixed(6)),
          metadata: s.metadata,
        })),
      },
    };
  }
}
