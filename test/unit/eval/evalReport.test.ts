import assert from 'node:assert/strict';

import { buildEvalReport, percentile, scoreQuestion } from '../../../src/core/eval/evalReport';
import type { QuestionRun } from '../../../src/core/eval/evalReport';
import type { EvalItem } from '../../../src/core/eval/evalSet';
import { formatEvalTable, formatMetric } from '../../../src/core/eval/formatEvalTable';

const item = (id: string, relevant: string[], extra: Partial<EvalItem> = {}): EvalItem => ({
  id,
  question: `question ${id}`,
  relevant,
  line: 1,
  ...extra,
});
const hits = (...paths: string[]) => paths.map((path) => ({ path, breadcrumb: [] }));

describe('eval report', () => {
  const runs: QuestionRun[] = [
    {
      // Gold at document rank 2: recall@2 1, RR 0.5. Cites one good and one bad chunk: 0.5.
      item: item('q1', ['r.md'], { referenceAnswer: 'the cat is on the mat', yesNoNone: 'Yes' }),
      retrieved: hits('x.md', 'r.md'),
      answer: 'Yes, the cat is on the mat.',
      cited: hits('r.md', 'x.md'),
      inputTokens: 100,
      outputTokens: 10,
      latencyMs: 1000,
      costUsd: 0.001,
    },
    {
      // Gold not retrieved at all; answered without citations; grade No against an affirmative answer.
      item: item('q2', ['s.md'], { yesNoNone: 'No' }),
      retrieved: hits('x.md'),
      answer: 'It is supported.',
      cited: [],
      inputTokens: 300,
      outputTokens: 30,
      latencyMs: 3000,
      costUsd: 0.003,
    },
    // Retrieval only.
    { item: item('q3', ['r.md']), retrieved: hits('r.md') },
  ];

  it('keys metrics by k and scores each question', () => {
    const q1 = scoreQuestion(runs[0] as QuestionRun, 2);
    assert.equal(q1.metrics['recall@2'], 1);
    assert.equal(q1.metrics.mrr, 0.5);
    assert.equal(q1.metrics['ndcg@2'], 1 / Math.log2(3));
    // LCS 6 of 7 answer tokens ("yes" extra), all 6 reference tokens: F = 2 * 6/7 * 1 / (6/7 + 1) = 12/13.
    assert.ok(Math.abs((q1.metrics.rougeL as number) - 12 / 13) < 1e-12);
    assert.equal(q1.metrics.citationPrecision, 0.5);
    assert.equal(q1.metrics.yesNo, 1);
    assert.deepEqual(q1.ranks, { 'r.md': 2 });
    assert.deepEqual(q1.topDocuments, ['x.md', 'r.md']);
    assert.equal(scoreQuestion(runs[0] as QuestionRun, 1).metrics['recall@1'], 0);
  });

  const q1RougeL = (): number | null => scoreQuestion(runs[0] as QuestionRun, 5).metrics.rougeL ?? null;

  it('averages over the questions that have a value and summarizes cost and latency', () => {
    const { overall, questions } = buildEvalReport(runs, { k: 5 });
    assert.equal(questions.length, 3);
    assert.equal(overall.questions, 3);
    assert.equal(overall['recall@5'], 2 / 3); // 1, 0, 1
    assert.equal(overall.mrr, (0.5 + 0 + 1) / 3);
    assert.equal(overall.rougeL, q1RougeL()); // only q1 has a reference answer
    assert.equal(overall.citationPrecision, 0.5); // q2 cited nothing: not scored, counted instead
    assert.equal(overall.uncitedAnswers, 1);
    assert.equal(overall.yesNoAccuracy, 0.5); // q1 right, q2 wrong
    assert.equal(overall.inputTokens, 200);
    assert.equal(overall.latencyP50Ms, 2000);
    assert.equal(overall.latencyP95Ms, 2900); // 1000 + 0.95 * (3000 - 1000)
    assert.equal(overall.costUsd, 0.002);
    assert.equal(overall.costUsdTotal, 0.004);
    assert.equal(overall.errors, 0);
  });

  it('leaves answer metrics null for a failed question', () => {
    const failed = scoreQuestion(
      { item: item('q', ['r.md'], { referenceAnswer: 'x' }), retrieved: [], answer: 'x', error: 'THROTTLED' },
      5,
    );
    assert.equal(failed.metrics.rougeL, null);
    assert.equal(failed.metrics['recall@5'], 0);
    assert.equal(failed.error, 'THROTTLED');
  });

  it('interpolates percentiles like NumPy', () => {
    assert.equal(percentile([4, 1, 3, 2], 0.5), 2.5);
    assert.equal(percentile([10], 0.95), 10);
    assert.equal(percentile([], 0.5), null);
  });

  it('serializes to the documented JSON shape', () => {
    const report = buildEvalReport(runs, { k: 5, baselines: { careful: { 'recall@5': 0.84, mrr: 0.735 } } });
    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['k', 'overall', 'questions', 'baselines']);
    assert.ok(['recall@5', 'mrr', 'ndcg@5'].every((key) => key in (json.overall as object)));
    assert.deepEqual(json.baselines, { careful: { 'recall@5': 0.84, mrr: 0.735 } });
  });
});

describe('eval table', () => {
  const report = buildEvalReport([{ item: item('q1', ['r.md']), retrieved: hits('x.md', 'r.md'), latencyMs: 1234.4, costUsd: 0.0012345 }], {
    k: 5,
    baselines: { plain: { 'recall@5': 0.32, mrr: 0.23 }, careful: { 'recall@5': 0.84, mrr: 0.735, 'ndcg@5': 0.75 } },
  });

  it('puts baselines side by side, aligned, and hides rows no column has', () => {
    const lines = formatEvalTable(report).trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 5), [
      'metric            run  plain  careful',
      '------------  -------  -----  -------',
      'questions           1      -        -',
      'recall@5        1.000  0.320    0.840',
      'mrr             0.500  0.230    0.735',
    ]);
    assert.ok(lines.includes('ndcg@5          0.631      -    0.750'));
    assert.ok(lines.includes('latencyP50Ms     1234      -        -'));
    assert.ok(lines.includes('costUsdTotal  0.00123      -        -'));
    assert.ok(!lines.some((l) => l.startsWith('rougeL')));
  });

  it('adds one line per question when asked, with the question cut to width', () => {
    const text = formatEvalTable(report, { perQuestion: true, questionWidth: 8 });
    const table = text.split('\n\n')[1] as string;
    assert.deepEqual(table.trimEnd().split('\n'), [
      'id  recall@5    mrr  ndcg@5  latencyMs  question',
      '--  --------  -----  ------  ---------  --------',
      'q1     1.000  0.500   0.631       1234  quest...',
    ]);
  });

  it('formats values by unit', () => {
    assert.equal(formatMetric('mrr', 0.73456), '0.735');
    assert.equal(formatMetric('costUsdTotal', 0.0012345), '0.00123');
    assert.equal(formatMetric('latencyP95Ms', 99.6), '100');
    assert.equal(formatMetric('rougeL', null), '-');
  });
});
