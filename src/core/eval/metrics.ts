/**
 * Retrieval metrics at the document level: recall@k, MRR, nDCG@k (binary relevance) and citation
 * precision, scored against an eval set's `relevant` entries (`path` or `path#heading`).
 *
 * Ranks are document ranks: the distinct documents of the ranked hits, in the order each first
 * appears (a document counts once, at its first position). A `path` entry is found at its
 * document's rank. A `path#heading` entry is found at its document's rank when any hit of that
 * document has the heading in its breadcrumb (case-insensitive, Markdown escapes and inline HTML
 * ignored; a GitHub-style slug such as `how-it-works` also matches), even if that hit comes after
 * the document's first one.
 */
import { BedrockDocsError } from '../errors';

/** What a ranked or cited item needs to be scored; a `Chunk` is one. */
export interface ScoredHit {
  /** Relative to the indexed root (the eval set's directory), '/' separators. */
  path: string;
  breadcrumb?: readonly string[];
}

/** One `relevant` entry of an eval question, split into its path and optional heading. */
export interface RelevantEntry {
  /** The entry as written. */
  raw: string;
  path: string;
  heading?: string;
}

/** Where each relevant entry was found among the hits' distinct documents. */
export interface RetrievalJudgement {
  /** Distinct document paths, in rank order (rank = index + 1). */
  documents: string[];
  /** Per relevant entry (deduplicated), its 1-based document rank, or null when not retrieved. */
  entries: Array<{ entry: RelevantEntry; rank: number | null }>;
  /** Distinct documents named by the relevant entries: the most positions that can gain. */
  relevantDocumentCount: number;
}

/** `./a\b.md` -> `a/b.md`: eval sets and chunk paths may be written either way. */
export function normalizeEvalPath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/^(\.\/)+/, '');
}

/** `path#heading` -> {path, heading}; the first `#` separates them (paths rarely hold one). */
export function parseRelevantEntry(raw: string): RelevantEntry {
  const hash = raw.indexOf('#');
  if (hash < 0) return { raw, path: normalizeEvalPath(raw.trim()) };
  const heading = raw.slice(hash + 1).trim();
  const path = normalizeEvalPath(raw.slice(0, hash).trim());
  return heading ? { raw, path, heading } : { raw, path };
}

/** Heading text as compared: no Markdown escapes or inline HTML, lower-case, single spaces. */
export function normalizeHeading(heading: string): string {
  return heading
    .replace(/<[^>]*>/g, '')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// GitHub's anchor rule: lower-case, drop punctuation except '-' and '_', spaces become '-'.
function headingSlug(heading: string): string {
  return normalizeHeading(heading)
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** True when `hit` belongs to the entry's document and, for a `path#heading` entry, its section. */
export function hitMatches(hit: ScoredHit, entry: RelevantEntry): boolean {
  if (normalizeEvalPath(hit.path) !== entry.path) return false;
  if (entry.heading === undefined) return true;
  const wanted = normalizeHeading(entry.heading);
  const wantedSlug = headingSlug(entry.heading);
  return (hit.breadcrumb ?? []).some((h) => normalizeHeading(h) === wanted || headingSlug(h) === wantedSlug);
}

/** Finds each relevant entry's document rank in `hits` (ranked best first). */
export function judgeRetrieval(hits: readonly ScoredHit[], relevant: readonly string[]): RetrievalJudgement {
  if (relevant.length === 0) {
    throw new BedrockDocsError(
      'BAD_INPUT',
      'A question has no relevant documents to score against.',
      'Give each eval question at least one "relevant" path.',
    );
  }
  const rankOf = new Map<string, number>();
  for (const hit of hits) {
    const path = normalizeEvalPath(hit.path);
    if (!rankOf.has(path)) rankOf.set(path, rankOf.size + 1);
  }
  const unique = [...new Set(relevant)].map(parseRelevantEntry);
  const entries = unique.map((entry) => {
    const docRank = rankOf.get(entry.path);
    if (docRank === undefined) return { entry, rank: null };
    const found = entry.heading === undefined || hits.some((hit) => hitMatches(hit, entry));
    return { entry, rank: found ? docRank : null };
  });
  return { documents: [...rankOf.keys()], entries, relevantDocumentCount: new Set(unique.map((e) => e.path)).size };
}

/**
 * Fraction of the relevant entries found within the first `k` distinct documents. With several
 * relevant documents this is partial credit (2 of 3 found = 0.667), not "any hit" (hit rate).
 */
export function recallAtK(judgement: RetrievalJudgement, k: number): number {
  const found = judgement.entries.filter((e) => e.rank !== null && e.rank <= k).length;
  return judgement.entries.length === 0 ? 0 : found / judgement.entries.length;
}

/** 1 / the document rank of the first relevant entry found (0 when none is); MRR is its mean. */
export function reciprocalRank(judgement: RetrievalJudgement): number {
  const ranks = judgement.entries.map((e) => e.rank).filter((r): r is number => r !== null);
  return ranks.length === 0 ? 0 : 1 / Math.min(...ranks);
}

/**
 * nDCG@k with binary gains over document positions: a position gains 1 when its document satisfies
 * at least one relevant entry; DCG = sum of gain / log2(rank + 1); the ideal puts all relevant
 * documents (at most k) first.
 */
export function ndcgAtK(judgement: RetrievalJudgement, k: number): number {
  const gainRanks = new Set(judgement.entries.map((e) => e.rank).filter((r): r is number => r !== null && r <= k));
  let dcg = 0;
  for (const rank of gainRanks) dcg += 1 / Math.log2(rank + 1);
  let ideal = 0;
  for (let rank = 1; rank <= Math.min(judgement.relevantDocumentCount, k); rank++) ideal += 1 / Math.log2(rank + 1);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** recall@k, reciprocal rank and nDCG@k of one question in one call. */
export function retrievalScores(
  hits: readonly ScoredHit[],
  relevant: readonly string[],
  k: number,
): { recall: number; reciprocalRank: number; ndcg: number } {
  const judgement = judgeRetrieval(hits, relevant);
  return { recall: recallAtK(judgement, k), reciprocalRank: reciprocalRank(judgement), ndcg: ndcgAtK(judgement, k) };
}

/**
 * Cited chunks that match a relevant entry / cited chunks (each cited chunk counted as given).
 * Undefined when nothing is cited: precision has no denominator, and an uncited answer is counted
 * separately by the report rather than scored 0 or 1.
 */
export function citationPrecision(cited: readonly ScoredHit[], relevant: readonly string[]): number | undefined {
  if (cited.length === 0) return undefined;
  const entries = relevant.map(parseRelevantEntry);
  const good = cited.filter((hit) => entries.some((entry) => hitMatches(hit, entry))).length;
  return good / cited.length;
}
