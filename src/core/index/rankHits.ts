/**
 * The last step of a search: one list (full-text or vector), or both fused by reciprocal rank;
 * changelogs demoted; a relative score threshold; the top k.
 */
import { reciprocalRankFusion, RRF_K } from './fusion';
import type { SearchHit } from './hybridIndex';

const CHANGELOG_FILE =
  /(^|\/)(changelog|changes|history|news|release[-_ ]?notes?|releases|whats[-_]?new)([-_. ]v?\d[^/]*)?(\.[a-z0-9]+)?$/i;
const CHANGELOG_FOLDER = /(^|\/)(changelogs?|release[-_ ]?notes|releases)\//i;

/** True for changelog / release-notes style paths. */
export function isChangelogPath(path: string): boolean {
  return CHANGELOG_FILE.test(path) || CHANGELOG_FOLDER.test(path);
}

/** How to merge and cut the lists. */
export interface RankOptions {
  k: number;
  /** Fuse both lists (hybrid with both sides present); else one list is used. */
  fuse: boolean;
  /** Without fusion: the vector list (else the text list). */
  vectorOnly: boolean;
  textWeight?: number;
  vectorWeight?: number;
  /** Score factor for changelog paths (1 = none). */
  changelogFactor: number;
  /** Drop hits below this fraction of the best score (0 keeps all). */
  scoreThreshold?: number;
}

/** The final hits, best first. */
export function rankHits(textHits: SearchHit[], vectorHits: SearchHit[], options: RankOptions): SearchHit[] {
  let hits: SearchHit[];
  if (options.fuse) {
    const fused = reciprocalRankFusion(
      [
        { items: textHits, weight: options.textWeight ?? 1 },
        { items: vectorHits, weight: options.vectorWeight ?? 1 },
      ],
      (h) => h.chunk.id,
      RRF_K,
    );
    hits = fused.map((f) => ({ chunk: f.item.chunk, score: f.score, textRank: f.ranks[0], vectorRank: f.ranks[1] }));
  } else {
    hits = options.vectorOnly ? vectorHits : textHits;
  }
  if (options.changelogFactor !== 1 && hits.some((h) => isChangelogPath(h.chunk.path))) {
    for (const h of hits) if (isChangelogPath(h.chunk.path)) h.score *= options.changelogFactor;
    hits.sort((a, b) => b.score - a.score);
  }
  const threshold = options.scoreThreshold ?? 0;
  if (threshold > 0 && hits.length > 0) {
    const floor = hits[0]!.score * threshold;
    hits = hits.filter((h) => h.score >= floor);
  }
  return hits.slice(0, options.k);
}
