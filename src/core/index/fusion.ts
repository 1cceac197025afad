/**
 * Reciprocal rank fusion (Cormack et al., 2009): each list contributes weight / (k + rank), rank
 * 1-based. Rank-based, so BM25 and cosine scores never have to share a scale.
 */

export interface RankedList<T> {
  items: readonly T[];
  weight: number;
}

export interface FusedItem<T> {
  item: T;
  score: number;
  /** 1-based rank in each input list, undefined where absent. */
  ranks: Array<number | undefined>;
}

/** The usual constant: damps the head of each list so one list cannot dominate. */
export const RRF_K = 60;

/** Fuses ranked lists by `key`; ties keep the order of first appearance. */
export function reciprocalRankFusion<T>(
  lists: ReadonlyArray<RankedList<T>>,
  key: (item: T) => string | number,
  k = RRF_K,
): Array<FusedItem<T>> {
  const fused = new Map<string | number, FusedItem<T> & { first: number }>();
  let order = 0;
  lists.forEach((list, li) => {
    list.items.forEach((item, index) => {
      const id = key(item);
      let entry = fused.get(id);
      if (!entry) {
        entry = { item, score: 0, ranks: lists.map(() => undefined), first: order++ };
        fused.set(id, entry);
      }
      if (entry.ranks[li] !== undefined) return;
      entry.ranks[li] = index + 1;
      entry.score += list.weight / (k + index + 1);
    });
  });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .map(({ item, score, ranks }) => ({ item, score, ranks }));
}
