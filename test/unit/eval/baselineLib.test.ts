import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { cleanMarkdown, splitMarkdownSections } from '../../../bench/lib/markdownSections';
import { splitIdentifier, tokenizeIdentifiers } from '../../../bench/lib/identifierTokens';
import { ENGLISH_STOP_WORDS } from '../../../bench/lib/stopWords';
import { loadMarkdownCorpus } from '../../../bench/lib/markdownCorpus';
import { buildCarefulBaseline, buildPlainBaseline } from '../../../bench/lib/miniSearchBaselines';
import { parseEvalSet } from '../../../src/core/eval/evalSet';
import { buildEvalReport } from '../../../src/core/eval/evalReport';

const FIXTURE = join(__dirname, '../../fixtures/eval');

describe('baseline pieces (bench/lib)', () => {
  it('removes Markdown escapes and <a name> anchors', () => {
    assert.equal(cleanMarkdown('# EBS<a name="ebs"></a>\n1\\.25 Gbps, single\\-digit, \\(KMS\\)'), '# EBS\n1.25 Gbps, single-digit, (KMS)');
  });

  it('splits at ATX headings with breadcrumbs, not inside code fences', () => {
    const md = ['intro', '# Guide', 'g', '## Setup', 's', '```', '# not a heading', '```', '### Proxy', 'p', '## Limits ##', 'l'].join(
      '\n',
    );
    const sections = splitMarkdownSections('a.md', md);
    assert.deepEqual(
      sections.map((s) => s.breadcrumb),
      [[], ['Guide'], ['Guide', 'Setup'], ['Guide', 'Setup', 'Proxy'], ['Guide', 'Limits']],
    );
    assert.equal(sections[2]?.text, 'Setup\ns\n```\n# not a heading\n```');
  });

  it('keeps identifiers whole and adds their parts', () => {
    assert.deepEqual(splitIdentifier('DescribeDBInstances'), ['describe', 'db', 'instances']);
    assert.deepEqual(splitIdentifier('max_connections'), ['max', 'connections']);
    assert.deepEqual(tokenizeIdentifiers('Set aws.s3.bucketName to single-digit EC2.'), [
      'set',
      'aws.s3.bucketname',
      'aws',
      's',
      '3',
      'bucket',
      'name',
      'to',
      'single-digit',
      'single',
      'digit',
      'ec2',
      'ec',
      '2',
    ]);
  });

  it('stop words are generic English, not domain words', () => {
    assert.ok(['the', 'is', 'how', 'does', 'can', 'what'].every((w) => ENGLISH_STOP_WORDS.has(w)));
    assert.ok(!['encryption', 'instance', 'aws', 'limit'].some((w) => ENGLISH_STOP_WORDS.has(w)));
  });

  it('careful finds every gold section of the fixture set; plain whole files cannot match headings', async () => {
    const files = await loadMarkdownCorpus(join(FIXTURE, 'docs'));
    assert.deepEqual(
      files.map((f) => f.path),
      ['faq.md', 'getting-started.md', 'guide/encryption.md', 'guide/limits.md'],
    );
    const items = parseEvalSet(readFileSync(join(FIXTURE, 'questions.jsonl'), 'utf8'));
    const score = (search: (q: string, n: number) => Array<{ path: string; breadcrumb: string[] }>) =>
      buildEvalReport(
        items.map((item) => ({ item, retrieved: search(item.question, 10) })),
        { k: 5 },
      );

    const careful = buildCarefulBaseline(files);
    const carefulReport = score((q, n) => careful.search(q, n));
    assert.equal(carefulReport.overall['recall@5'], 1);
    assert.equal(carefulReport.overall.mrr, 1);
    // Best section per file: distinct paths, each with the breadcrumb of its best section.
    const hits = careful.search('How many requests per second can a workspace make?', 10);
    assert.equal(new Set(hits.map((h) => h.path)).size, hits.length);
    assert.deepEqual(hits[0]?.breadcrumb, ['Quotas and limits', 'Request rate']);

    const plain = buildPlainBaseline(files);
    const plainReport = score((q, n) => plain.search(q, n));
    const headingOnly = plainReport.questions.filter((q) => Object.keys(q.ranks).every((r) => r.includes('#')));
    assert.ok(headingOnly.length > 0);
    assert.ok(headingOnly.every((q) => q.metrics['recall@5'] === 0));
  });
});
