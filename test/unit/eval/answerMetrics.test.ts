import assert from 'node:assert/strict';

import { corpusBleu, lcsLength, rougeL, rougeTokens, sentenceBleu, sentenceBleuTokens } from '../../../src/core/eval/answerMetrics';

const close = (actual: number, expected: number, tolerance = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not ${expected}`);

// NLTK's bleu_score docstring examples (nltk/translate/bleu_score.py).
const hyp1 = [
  'It',
  'is',
  'a',
  'guide',
  'to',
  'action',
  'which',
  'ensures',
  'that',
  'the',
  'military',
  'always',
  'obeys',
  'the',
  'commands',
  'of',
  'the',
  'party',
];
const ref1 = [
  'It',
  'is',
  'a',
  'guide',
  'to',
  'action',
  'that',
  'ensures',
  'that',
  'the',
  'military',
  'will',
  'forever',
  'heed',
  'Party',
  'commands',
];
const ref2 = [
  'It',
  'is',
  'the',
  'guiding',
  'principle',
  'which',
  'guarantees',
  'the',
  'military',
  'forces',
  'always',
  'being',
  'under',
  'the',
  'command',
  'of',
  'the',
  'Party',
];
const ref3 = [
  'It',
  'is',
  'the',
  'practical',
  'guide',
  'for',
  'the',
  'army',
  'always',
  'to',
  'heed',
  'the',
  'directions',
  'of',
  'the',
  'party',
];
const hypB = ['he', 'read', 'the', 'book', 'because', 'he', 'was', 'interested', 'in', 'world', 'history'];
const refB = ['he', 'was', 'interested', 'in', 'world', 'history', 'because', 'he', 'read', 'the', 'book'];

describe('eval metrics: ROUGE-L', () => {
  it('tokenizes like rouge-score: lower-case, runs of [a-z0-9]', () => {
    assert.deepEqual(rougeTokens("The EBS-volume's size: 1.25 GiB, café!"), ['the', 'ebs', 'volume', 's', 'size', '1', '25', 'gib', 'caf']);
  });

  it('computes the LCS of token lists', () => {
    assert.equal(lcsLength(['a', 'b', 'c', 'd'], ['b', 'd', 'c']), 2);
    assert.equal(lcsLength([], ['a']), 0);
  });

  it('matches a hand computation on the rouge-score README pair', () => {
    // target: the quick brown fox jumps over the lazy dog (9 tokens)
    // prediction: the quick brown dog jumps on the log (8 tokens)
    // LCS = the quick brown jumps the = 5: P = 5/8, R = 5/9, F = 2PR/(P+R) = 10/17.
    const s = rougeL('The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.');
    close(s.precision, 5 / 8);
    close(s.recall, 5 / 9);
    close(s.fmeasure, 10 / 17);
  });

  it('is 0 when either side has no tokens, and 1 for the same words in other case and punctuation', () => {
    assert.equal(rougeL('', 'anything').fmeasure, 0);
    assert.equal(rougeL('Up to 500 requests.', '...').fmeasure, 0);
    assert.equal(rougeL('Up to 500 requests.', 'up to 500 REQUESTS').fmeasure, 1);
  });

  it('applies an optional stemmer to tokens longer than 3 characters only', () => {
    const stripS = (t: string): string => t.replace(/s$/, '');
    // "runs" -> "run" but "its" (3 characters) stays, so "its runs" vs "it run": LCS "run" = 1 of 2.
    assert.equal(rougeL('it run', 'its runs', { stem: stripS }).fmeasure, 0.5);
  });
});

describe('eval metrics: BLEU', () => {
  it('reproduces NLTK sentence_bleu docstring values', () => {
    // sentence_bleu([reference1, reference2, reference3], hypothesis1) -> 0.5045...
    close(sentenceBleuTokens([ref1, ref2, ref3], hyp1), 0.5045666840058485);
    // SmoothingFunction docstring: sentence_bleu([reference1], hypothesis1) -> 0.4118... with or
    // without method1 (no precision is zero, so smoothing changes nothing).
    close(sentenceBleuTokens([ref1], hyp1), 0.41180376356915777);
    close(sentenceBleuTokens([ref1], hyp1, { smoothing: 'none' }), 0.41180376356915777);
  });

  it('reproduces NLTK corpus_bleu docstring values', () => {
    // corpus_bleu([[ref1a, ref1b, ref1c], [ref2a]], [hyp1, hyp2]) -> 0.5920...; the mean of the
    // two sentence BLEUs is 0.6223..., which is why the two are different numbers.
    const pairs = [
      { candidate: hyp1, references: [ref1, ref2, ref3] },
      { candidate: hypB, references: [refB] },
    ];
    close(corpusBleu(pairs), 0.5920778868801042);
    close((sentenceBleuTokens([ref1, ref2, ref3], hyp1) + sentenceBleuTokens([refB], hypB)) / 2, 0.6223247442490669);
  });

  it('smooths a zero 4-gram precision as Chen & Cherry method 1 and method 3', () => {
    // candidate: the cat sat on the mat / reference: the cat is on the mat (6 tokens each, BP = 1)
    // p1 = 5/6 (sat unmatched), p2 = 3/5 (the cat, on the, the mat), p3 = 1/4 (on the mat), p4 = 0/3.
    // floor (method 1): p4 = 0.1/3 -> (5/6 * 3/5 * 1/4 * 1/30)^(1/4) = (1/240)^(1/4)
    // exp (method 3): p4 = 1/(2 * 3) -> (5/6 * 3/5 * 1/4 * 1/6)^(1/4) = (1/48)^(1/4)
    const ref = 'the cat is on the mat';
    const cand = 'The cat sat on the mat.';
    close(sentenceBleu(ref, cand), (1 / 240) ** 0.25);
    close(sentenceBleu(ref, cand, { smoothing: 'exp' }), (1 / 48) ** 0.25);
    assert.equal(sentenceBleu(ref, cand, { smoothing: 'none' }), 0);
  });

  it('applies the brevity penalty from the closest reference length', () => {
    // candidate "the cat" vs reference of 6: p1 = p2 = 1, p3 = p4 = 0/1 floored to 0.1;
    // BP = exp(1 - 6/2) = exp(-2); BLEU = exp(-2) * (1 * 1 * 0.1 * 0.1)^(1/4) = exp(-2) * 0.1^0.5.
    close(sentenceBleu('the cat is on the mat', 'the cat'), Math.exp(-2) * Math.sqrt(0.1));
    // Ties go to the shorter reference (NLTK): lengths 3 and 1 around a 2-token candidate -> r = 1, BP = 1.
    close(sentenceBleuTokens([['a', 'b', 'c'], ['a']], ['a', 'b'], { maxOrder: 1 }), 1);
  });

  it('is 0 with no unigram match or an empty candidate', () => {
    assert.equal(sentenceBleu('the cat', 'a dog'), 0);
    assert.equal(sentenceBleu('the cat', ''), 0);
  });
});
