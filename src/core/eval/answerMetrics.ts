/**
 * Answer-overlap metrics against a reference answer: ROUGE-L as Google's `rouge-score` computes
 * it, and BLEU-4 as NLTK's `sentence_bleu` / `corpus_bleu` compute it. Both are lexical: use them
 * to compare runs, not to judge one answer (short values like "500" need semantic grading).
 */

/**
 * `rouge-score`'s tokenizer: lower-case, every run of characters outside [a-z0-9] becomes a space,
 * split. Non-ASCII letters are dropped, as there. No stemming unless `stem` is given (rouge-score
 * stems only tokens longer than 3 characters, with Porter).
 */
export function rougeTokens(text: string, stem?: (token: string) => string): string[] {
  const tokens = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter(Boolean);
  return stem ? tokens.map((t) => (t.length > 3 ? stem(t) : t)) : tokens;
}

/** Length of the longest common subsequence of two token lists (O(n*m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, row[j - 1] as number);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length] as number;
}

/** Precision, recall and their harmonic mean (F1), each in [0, 1]. */
export interface PrecisionRecall {
  precision: number;
  recall: number;
  fmeasure: number;
}

/**
 * ROUGE-L of `candidate` against `reference`: LCS / candidate tokens (precision), LCS / reference
 * tokens (recall), F = 2PR / (P + R). All 0 when either side has no tokens, as in rouge-score's
 * `RougeScorer(['rougeL']).score(reference, candidate)`.
 */
export function rougeL(reference: string, candidate: string, options: { stem?: (token: string) => string } = {}): PrecisionRecall {
  const ref = rougeTokens(reference, options.stem);
  const cand = rougeTokens(candidate, options.stem);
  if (ref.length === 0 || cand.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(ref, cand);
  const precision = lcs / cand.length;
  const recall = lcs / ref.length;
  const fmeasure = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fmeasure };
}

/**
 * How zero n-gram matches are smoothed (Chen & Cherry 2014). `floor`: method 1, a zero count becomes
 * epsilon (0.1) / n-grams (NLTK `method1`, sacrebleu `floor`). `exp`: method 3, the i-th zero
 * precision becomes 1 / (2^i * n-grams) (NLTK `method3`, sacrebleu `exp`). `none`: any zero gives 0.
 */
export type BleuSmoothing = 'floor' | 'exp' | 'none';

/** BLEU settings; the defaults are BLEU-4, uniform weights, `floor` smoothing with epsilon 0.1. */
export interface BleuOptions {
  maxOrder?: number;
  smoothing?: BleuSmoothing;
  epsilon?: number;
}

/** One scored sentence: its tokens and one or more reference token lists. */
export interface BleuPair {
  candidate: readonly string[];
  references: ReadonlyArray<readonly string[]>;
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  // U+0001 cannot occur inside a token, so joined n-grams never collide.
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** NLTK's modified precision: clipped matches and max(1, candidate n-grams). */
function modifiedPrecision(pair: BleuPair, n: number): { matches: number; total: number } {
  const counts = ngramCounts(pair.candidate, n);
  const refCounts = pair.references.map((ref) => ngramCounts(ref, n));
  let matches = 0;
  let total = 0;
  for (const [gram, count] of counts) {
    const maxRef = Math.max(0, ...refCounts.map((c) => c.get(gram) ?? 0));
    matches += Math.min(count, maxRef);
    total += count;
  }
  return { matches, total: Math.max(1, total) };
}

// The reference length closest to the candidate's; on a tie the shorter (NLTK closest_ref_length).
function closestRefLength(references: ReadonlyArray<readonly string[]>, candidateLength: number): number {
  let best = references[0]?.length ?? 0;
  for (const ref of references) {
    const d = Math.abs(ref.length - candidateLength);
    const bestD = Math.abs(best - candidateLength);
    if (d < bestD || (d === bestD && ref.length < best)) best = ref.length;
  }
  return best;
}

/**
 * Corpus BLEU (micro-averaged n-gram counts over all pairs, one brevity penalty over summed
 * lengths): BP * exp(sum of log p_n / N), BP = 1 when c > r, else exp(1 - r / c). 0 when no
 * unigram matches at all, as in NLTK.
 */
export function corpusBleu(pairs: readonly BleuPair[], options: BleuOptions = {}): number {
  const maxOrder = options.maxOrder ?? 4;
  const smoothing = options.smoothing ?? 'floor';
  const epsilon = options.epsilon ?? 0.1;
  const matches = new Array<number>(maxOrder).fill(0);
  const totals = new Array<number>(maxOrder).fill(0);
  let c = 0;
  let r = 0;
  for (const pair of pairs) {
    for (let n = 1; n <= maxOrder; n++) {
      const p = modifiedPrecision(pair, n);
      matches[n - 1] = (matches[n - 1] as number) + p.matches;
      totals[n - 1] = (totals[n - 1] as number) + p.total;
    }
    c += pair.candidate.length;
    r += closestRefLength(pair.references, pair.candidate.length);
  }
  if (matches[0] === 0 || c === 0) return 0;
  const bp = c > r ? 1 : Math.exp(1 - r / c);
  let logSum = 0;
  let zeros = 0;
  for (let i = 0; i < maxOrder; i++) {
    const m = matches[i] as number;
    const t = totals[i] as number;
    let p = m / t;
    if (m === 0) {
      if (smoothing === 'none') return 0;
      zeros++;
      p = smoothing === 'floor' ? epsilon / t : 1 / (2 ** zeros * t);
    }
    logSum += Math.log(p) / maxOrder;
  }
  return bp * Math.exp(logSum);
}

/** Sentence BLEU of already tokenized text: corpus BLEU of one pair. */
export function sentenceBleuTokens(
  references: ReadonlyArray<readonly string[]>,
  candidate: readonly string[],
  options?: BleuOptions,
): number {
  return corpusBleu([{ candidate, references }], options);
}

/** Sentence BLEU of an answer against one or more reference answers, tokenized by `rougeTokens`. */
export function sentenceBleu(reference: string | readonly string[], candidate: string, options?: BleuOptions): number {
  const refs = (typeof reference === 'string' ? [reference] : reference).map((r) => rougeTokens(r));
  return sentenceBleuTokens(refs, rougeTokens(candidate), options);
}
