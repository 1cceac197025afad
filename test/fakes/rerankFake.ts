/**
 * Rerank for the fake agent runtime: validates the request like Bedrock (one TEXT query, 1-1000
 * INLINE sources, a reranking model ARN) and scores each source deterministically, differently
 * from the Knowledge Base's similarity, so reranking visibly reorders candidates.
 */
import { fakeWords } from './fakeEmbedding';
import { wordCoverage } from './knowledgeBaseFake';
import type { WireError } from './wireErrors';

/** Models the fake reranks with. */
export const FAKE_RERANK_MODELS = ['amazon.rerank-v1:0', 'cohere.rerank-v3-5:0'];

const MODEL_ARN = /^arn:aws(?:-cn|-us-gov)?:bedrock:[a-z0-9-]+::foundation-model\/(.+)$/;

const coral = (value: unknown, path: string, constraint: string) =>
  `1 validation error detected: Value '${typeof value === 'object' ? JSON.stringify(value) : String(value)}' at '${path}' failed to satisfy constraint: ${constraint}`;

/** Share of the query's adjacent word pairs that occur, adjacent, in the text (0-1). */
function phraseCoverage(query: string, text: string): number {
  const q = fakeWords(query);
  if (q.length < 2) return 0;
  const t = fakeWords(text);
  const pairs = new Set<string>();
  for (let i = 1; i < t.length; i++) pairs.add(`${t[i - 1]} ${t[i]}`);
  let found = 0;
  for (let i = 1; i < q.length; i++) if (pairs.has(`${q[i - 1]} ${q[i]}`)) found++;
  return found / (q.length - 1);
}

/** The fake cross-encoder: 0.7 x query-word coverage + 0.3 x phrase coverage, in [0, 1]. */
export function fakeRelevance(query: string, text: string): number {
  return 0.7 * wordCoverage(query, text) + 0.3 * phraseCoverage(query, text);
}

interface RerankBody {
  queries?: Array<{ type?: string; textQuery?: { text?: string } }>;
  sources?: Array<{ type?: string; inlineDocumentSource?: { type?: string; textDocument?: { text?: string }; jsonDocument?: unknown } }>;
  rerankingConfiguration?: {
    type?: string;
    bedrockRerankingConfiguration?: { numberOfResults?: number; modelConfiguration?: { modelArn?: string } };
  };
}

/** Answers one Rerank: `{results: [{index, relevanceScore}]}` best first, or the wire error. */
export function fakeRerank(json: unknown): { json: unknown } | { error: WireError } {
  const body = (json ?? {}) as RerankBody;
  const invalid = (message: string) => ({ error: { type: 'ValidationException' as const, message } });
  if (!Array.isArray(body.queries) || body.queries.length !== 1)
    return invalid(
      coral(body.queries?.length ?? 0, 'queries', 'Member must have length less than or equal to 1 and greater than or equal to 1'),
    );
  const q = body.queries[0];
  const query = q?.textQuery?.text;
  if (q?.type !== 'TEXT' || typeof query !== 'string' || query === '')
    return invalid(
      coral(q?.type, 'queries.1.member.type', 'Member must satisfy enum value set: [TEXT] and textQuery.text must not be empty'),
    );
  const sources = body.sources;
  if (!Array.isArray(sources) || sources.length < 1 || sources.length > 1000)
    return invalid(coral(sources?.length ?? 0, 'sources', 'Member must have length between 1 and 1000'));
  const texts: string[] = [];
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i];
    const doc = s?.inlineDocumentSource;
    if (s?.type !== 'INLINE' || !doc)
      return invalid(coral(s?.type, `sources.${i + 1}.member.type`, 'Member must satisfy enum value set: [INLINE]'));
    if (doc.type === 'TEXT' && typeof doc.textDocument?.text === 'string') texts.push(doc.textDocument.text);
    else if (doc.type === 'JSON' && doc.jsonDocument !== undefined) texts.push(JSON.stringify(doc.jsonDocument));
    else
      return invalid(
        coral(
          doc.type,
          `sources.${i + 1}.member.inlineDocumentSource.type`,
          'Member must satisfy enum value set: [TEXT, JSON] with the matching document',
        ),
      );
  }
  const config = body.rerankingConfiguration;
  if (config?.type !== 'BEDROCK_RERANKING_MODEL')
    return invalid(coral(config?.type, 'rerankingConfiguration.type', 'Member must satisfy enum value set: [BEDROCK_RERANKING_MODEL]'));
  const arn = config.bedrockRerankingConfiguration?.modelConfiguration?.modelArn ?? '';
  const model = MODEL_ARN.exec(arn)?.[1];
  if (!model)
    return invalid(
      coral(
        arn,
        'rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
        'Member must satisfy regular expression pattern: arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/.+',
      ),
    );
  if (!FAKE_RERANK_MODELS.includes(model)) return invalid('The provided model identifier is invalid.');
  const n = config.bedrockRerankingConfiguration?.numberOfResults ?? texts.length;
  if (!Number.isInteger(n) || n < 1)
    return invalid(
      coral(n, 'rerankingConfiguration.bedrockRerankingConfiguration.numberOfResults', 'Member must have value greater than or equal to 1'),
    );
  const results = texts
    .map((text, index) => ({ index, relevanceScore: Number(fakeRelevance(query, text).toFixed(6)) }))
    .sort((a, b) => b.relevanceScore - a.relevanceScore || a.index - b.index)
    .slice(0, n);
  return { json: { results } };
}
