import assert from 'node:assert/strict';
import { isKnowledgeBaseHit, sourceUriOf, toKnowledgeBaseHits, withWorkspacePaths } from '../../../src/core/retrieval/knowledgeBaseResults';
import type { RetrievalResultLike } from '../../../src/core/retrieval/knowledgeBaseResults';

const options = { knowledgeBaseId: 'KB12345678', region: 'eu-west-1' };
const text = (t: string) => ({ type: 'TEXT', text: t });

describe('Knowledge Base results as hits', () => {
  it('puts the source URI in path and links s3 objects to the S3 console of the Knowledge Base region', () => {
    const [hit] = toKnowledgeBaseHits(
      [
        {
          content: text('Set the proxy in settings.'),
          location: { type: 'S3', s3Location: { uri: 's3://docs/repo/guide/proxy.md' } },
          score: 0.71,
          metadata: { 'x-amz-bedrock-kb-chunk-id': 'c-1', team: 'docs' },
        },
      ],
      options,
    );
    assert.ok(hit && isKnowledgeBaseHit(hit));
    assert.equal(hit.chunk.path, 's3://docs/repo/guide/proxy.md');
    assert.equal(hit.chunk.id, 's3://docs/repo/guide/proxy.md#c-1');
    assert.equal(hit.chunk.fileType, 'markdown');
    assert.equal(hit.chunk.title, 'proxy.md');
    assert.equal(hit.chunk.text, 'Set the proxy in settings.');
    assert.equal(hit.score, 0.71);
    assert.equal(hit.source.link, 'https://s3.console.aws.amazon.com/s3/object/docs?region=eu-west-1&prefix=repo/guide/proxy.md');
    assert.equal(hit.source.locationType, 'S3');
    assert.equal(hit.source.metadata.team, 'docs');
  });

  it('handles each location type the API returns', () => {
    const cases: Array<[RetrievalResultLike['location'], string, string | undefined]> = [
      [
        { type: 'WEB', webLocation: { url: 'https://docs.example.com/setup' } },
        'https://docs.example.com/setup',
        'https://docs.example.com/setup',
      ],
      [
        { type: 'CONFLUENCE', confluenceLocation: { url: 'https://acme.atlassian.net/wiki/x' } },
        'https://acme.atlassian.net/wiki/x',
        'https://acme.atlassian.net/wiki/x',
      ],
      [
        { type: 'SHAREPOINT', sharePointLocation: { url: 'https://acme.sharepoint.com/s/Setup.docx' } },
        'https://acme.sharepoint.com/s/Setup.docx',
        'https://acme.sharepoint.com/s/Setup.docx',
      ],
      [
        { type: 'SALESFORCE', salesforceLocation: { url: 'https://acme.my.salesforce.com/ka0/1' } },
        'https://acme.my.salesforce.com/ka0/1',
        'https://acme.my.salesforce.com/ka0/1',
      ],
      [
        { type: 'ONEDRIVE', oneDriveLocation: { url: 'https://onedrive.live.com/x' } },
        'https://onedrive.live.com/x',
        'https://onedrive.live.com/x',
      ],
      [
        { type: 'KENDRA', kendraDocumentLocation: { uri: 's3://kendra-src/a.pdf' } },
        's3://kendra-src/a.pdf',
        'https://s3.console.aws.amazon.com/s3/object/kendra-src?region=eu-west-1&prefix=a.pdf',
      ],
      [{ type: 'CUSTOM', customDocumentLocation: { id: 'doc-42' } }, 'custom:doc-42', undefined],
      [{ type: 'SQL', sqlLocation: { query: 'SELECT *\n  FROM t' } }, 'sql:SELECT * FROM t', undefined],
    ];
    for (const [location, path, link] of cases) {
      const [hit] = toKnowledgeBaseHits([{ content: text('x'), location, score: 0.5 }], options);
      assert.equal(hit?.chunk.path, path, location?.type);
      assert.equal(hit?.source.link, link, location?.type);
      assert.equal(hit?.source.locationType, location?.type);
    }
    assert.equal(
      toKnowledgeBaseHits([{ content: text('x'), location: { type: 'WEB', webLocation: { url: 'https://d.example.com/a' } } }], options)[0]
        ?.chunk.fileType,
      'html',
    );
  });

  it('falls back to the source-uri metadata when the location is missing, and drops results with no source or no text', () => {
    assert.deepEqual(sourceUriOf(undefined, { 'x-amz-bedrock-kb-source-uri': 's3://b/k.txt' }), { uri: 's3://b/k.txt', type: 'S3' });
    const hits = toKnowledgeBaseHits(
      [
        { content: text('orphan'), score: 0.9 },
        { content: { type: 'IMAGE' }, location: { type: 'S3', s3Location: { uri: 's3://b/pic.png' } }, score: 0.8 },
        { content: text('kept'), metadata: { 'x-amz-bedrock-kb-source-uri': 's3://b/k.txt' }, score: 0.7 },
      ],
      options,
    );
    assert.deepEqual(
      hits.map((h) => h.chunk.text),
      ['kept'],
    );
  });

  it('reads table rows, audio transcripts and PDF pages', () => {
    const hits = toKnowledgeBaseHits(
      [
        {
          content: {
            type: 'ROW',
            row: [
              { columnName: 'name', columnValue: 'timeout' },
              { columnName: 'default', columnValue: '30' },
            ],
          },
          location: { type: 'SQL', sqlLocation: { query: 'SELECT 1' } },
        },
        {
          content: { type: 'AUDIO', audio: { s3Uri: 's3://b/talk.mp3', transcription: 'welcome' } },
          location: { type: 'S3', s3Location: { uri: 's3://b/talk.mp3' } },
        },
        {
          content: text('page text'),
          location: { type: 'S3', s3Location: { uri: 's3://b/manual.pdf' } },
          metadata: { 'x-amz-bedrock-kb-document-page-number': 7, title: 'Admin manual' },
        },
      ],
      options,
    );
    assert.equal(hits[0]?.chunk.text, 'name: timeout\ndefault: 30');
    assert.equal(hits[1]?.chunk.text, 'welcome');
    assert.equal(hits[2]?.chunk.page, 7);
    assert.equal(hits[2]?.chunk.fileType, 'pdf');
    assert.equal(hits[2]?.chunk.title, 'Admin manual');
    assert.equal(hits[0]?.chunk.startLine, 1);
  });

  it('keeps two chunks of one document apart even when they carry no chunk id', () => {
    const loc = { type: 'S3', s3Location: { uri: 's3://b/a.md' } };
    const hits = toKnowledgeBaseHits(
      [
        { content: text('same'), location: loc },
        { content: text('same'), location: loc },
        { content: text('other'), location: loc },
      ],
      options,
    );
    assert.equal(new Set(hits.map((h) => h.chunk.id)).size, 3);
  });

  it('gives eval the workspace path of hits synced from the workspace, leaving other hits alone', () => {
    const kbHits = toKnowledgeBaseHits(
      [
        { content: text('a'), location: { type: 'S3', s3Location: { uri: 's3://docs/repo/guide/a.md' } } },
        { content: text('b'), location: { type: 'S3', s3Location: { uri: 's3://other/b.md' } } },
      ],
      options,
    );
    const local = { chunk: { ...kbHits[0]!.chunk, id: 'guide/c.md#0', path: 'guide/c.md' }, score: 1 };
    const mapped = withWorkspacePaths([...kbHits, local], 's3://docs/repo/');
    assert.deepEqual(
      mapped.map((h) => h.chunk.path),
      ['guide/a.md', 's3://other/b.md', 'guide/c.md'],
    );
    assert.equal(mapped[0]!.chunk.id, kbHits[0]!.chunk.id, 'ids stay distinct from local chunks');
  });
});
