import { stemmer } from 'stemmer';

// Stemming runs once per token at index time and per query word; a bounded memo makes it cheap
// (vocabularies are small compared with token counts).
const memo = new Map<string, string>();
const MEMO_LIMIT = 200_000;

/** Porter stem of a lowercased word; identifiers with digits and short words are left alone. */
export function stemWord(word: string): string {
  if (word.length <= 3 || /[\d_.-]/.test(word)) return word;
  const hit = memo.get(word);
  if (hit !== undefined) return hit;
  const stem = stemmer(word);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(word, stem);
  return stem;
}
