import assert from 'node:assert/strict';
import { analyze, analyzePath, cleanText } from '../../../src/core/index/analyzer';
import { TextEngine } from '../../../src/core/index/textEngine';

const fields = (body: string, extra: Partial<{ title: string; headings: string; path: string }> = {}) => ({
  body,
  title: extra.title ?? '',
  headings: extra.headings ?? '',
  path: extra.path ?? '',
});

describe('analyzer', () => {
  it('removes Markdown escapes, anchors and link targets before tokenizing', () => {
    assert.equal(cleanText('1\\.25 Gbps single\\-digit'), '1.25 Gbps single-digit');
    assert.deepEqual(analyze('# Quotas<a name="gettingstarted-limits"></a>'), ['quota']);
    assert.deepEqual(analyze('see [the console](configuration-console.md)'), ['see', 'consol']);
  });

  it('keeps identifiers whole and splits them', () => {
    assert.deepEqual(analyze('DescribeDBInstances'), ['describedbinst', 'describ', 'db', 'instanc']);
    assert.deepEqual(analyze('max_tokens'), ['max_tokens', 'max', 'token']);
    assert.deepEqual(analyze('aws.s3.Bucket'), ['aws.s3.bucket', 'aws', 's3', 'bucket']);
    assert.deepEqual(analyze('single-digit'), ['single-digit', 'singl', 'digit']);
  });

  it('drops stop words and keeps numbers whole', () => {
    assert.deepEqual(analyze('What is the maximum of 1.25 and 900?'), ['maximum', '1.25', '900']);
  });

  it('splits paths into their words without the extension', () => {
    assert.deepEqual(analyzePath('aws-lambda-developer-guide/gettingstarted-limits.md'), [
      'aws-lambda-developer-guide',
      'aws',
      'lambda',
      'develop',
      'guid',
      'gettingstarted-limits',
      'gettingstart',
      'limit',
    ]);
  });
});

describe('TextEngine', () => {
  it('ranks the chunk that shares the rare words first', () => {
    const e = new TextEngine();
    e.add(1, fields('The proxy listens on port 3128 behind the firewall.'));
    e.add(2, fields('The firewall blocks outbound traffic by default.'));
    e.add(3, fields('Install the CLI with npm and run it.'));
    const hits = e.search('which port does the proxy listen on?', 3);
    assert.equal(hits[0]!.docId, 1);
    assert.ok(!hits.some((h) => h.docId === 3), 'a chunk sharing no term is not a hit');
  });

  it('uses title, headings and path as fields', () => {
    const e = new TextEngine();
    e.add(1, fields('Values are listed in the table below.', { title: 'Lambda quotas', path: 'lambda/limits.md' }));
    e.add(2, fields('Lambda runs your code. Quotas are described elsewhere in detail for the curious reader.'));
    assert.equal(e.search('lambda quotas limits', 2)[0]!.docId, 1);
  });

  it('boosts chunks where consecutive query terms stand together', () => {
    const e = new TextEngine({ proximityWeight: 1 });
    e.add(1, fields('function memory and timeout settings'));
    e.add(2, fields('function timeout settings and memory'));
    const withProximity = e.search('function timeout', 2);
    assert.equal(withProximity[0]!.docId, 2);
    const flat = new TextEngine({ proximityWeight: 0 });
    flat.add(1, fields('function memory and timeout settings'));
    flat.add(2, fields('function timeout settings and memory'));
    const [a, b] = flat.search('function timeout', 2);
    assert.equal(a!.score, b!.score, 'without proximity both have the same BM25F score');
  });

  it('removes documents exactly and re-adds them under the same id', () => {
    const e = new TextEngine();
    e.add(1, fields('alpha beta'));
    e.add(2, fields('beta gamma'));
    e.remove(1);
    assert.equal(e.size, 1);
    assert.deepEqual(e.search('alpha', 5), []);
    assert.deepEqual(
      e.search('beta', 5).map((h) => h.docId),
      [2],
    );
    e.add(2, fields('delta'));
    assert.equal(e.size, 1, 'adding an existing id replaces it');
    assert.deepEqual(e.search('gamma', 5), []);
    assert.deepEqual(
      e.search('delta', 5).map((h) => h.docId),
      [2],
    );
  });

  it('restricts results to the allowed ids', () => {
    const e = new TextEngine();
    for (let i = 1; i <= 5; i++) e.add(i, fields(`shared word number${i}`));
    const hits = e.search('shared word', 10, new Set([2, 4]));
    assert.deepEqual(hits.map((h) => h.docId).sort(), [2, 4]);
  });

  it('returns the k best by score', () => {
    const e = new TextEngine({ proximityWeight: 0 });
    for (let i = 1; i <= 50; i++) e.add(i, fields(`${'kiwi '.repeat(i)} filler text here`));
    const hits = e.search('kiwi', 5);
    assert.equal(hits.length, 5);
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
    assert.equal(hits[0]!.docId, 50, 'the highest term frequency wins');
  });
});

describe('TextEngine removal and storage', () => {
  const body = (i: number) => `alpha${i % 7} beta${i % 11} gamma shared words ${i}`;

  it('removes a doc exactly through its fields, or by scanning every list without them', () => {
    const withFields = new TextEngine();
    const withoutFields = new TextEngine();
    for (let i = 0; i < 50; i++) {
      withFields.add(i, fields(body(i)));
      withoutFields.add(i, fields(body(i)));
    }
    for (let i = 0; i < 50; i += 3) {
      withFields.remove(i, fields(body(i)));
      withoutFields.remove(i);
    }
    for (const q of ['alpha3 beta5', 'gamma', 'shared 12', 'words 13']) {
      assert.deepEqual(withFields.search(q, 50), withoutFields.search(q, 50), q);
    }
    assert.deepEqual(withFields.search('12', 5), [], 'a removed doc is gone');
    assert.equal(withFields.size, 33);
  });

  it('falls back to scanning when the given fields are not what was indexed', () => {
    const e = new TextEngine();
    e.add(1, fields('kiwi mango'));
    e.add(2, fields('kiwi papaya'));
    e.remove(1, fields('something else entirely'));
    assert.deepEqual(e.search('mango', 5), []);
    assert.deepEqual(
      e.search('kiwi', 5).map((h) => h.docId),
      [2],
    );
  });

  it('keeps proximity pairs right after removals compact the shared pair blocks', () => {
    const e = new TextEngine({ proximityWeight: 1 });
    const filler = (i: number) => Array.from({ length: 300 }, (_, j) => `w${(i * 7 + j) % 997}`).join(' ');
    for (let i = 0; i < 600; i++) e.add(i, fields(`${filler(i)} function timeout`));
    for (let i = 0; i < 600; i++) if (i % 4 !== 0) e.remove(i, fields(`${filler(i)} function timeout`));
    e.add(1000, fields('function memory and timeout settings'));
    e.add(1001, fields('function timeout settings and memory'));
    const hits = e.search('function timeout settings', 200);
    assert.ok(hits.findIndex((h) => h.docId === 1001) < hits.findIndex((h) => h.docId === 1000), 'consecutive terms still count');
    assert.equal(e.data.pairGarbage, 0, "the removed docs' pairs were compacted away");
  });
});
