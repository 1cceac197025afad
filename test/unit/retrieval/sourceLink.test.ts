import assert from 'node:assert/strict';
import { isRemoteSourcePath, parseS3Uri, s3ConsoleUrl, sourceTargetOf, workspacePathOf } from '../../../src/core/retrieval/sourceLink';

describe('source links', () => {
  it('tells Knowledge Base URIs from workspace paths, Windows drives included', () => {
    assert.equal(isRemoteSourcePath('s3://docs-bucket/guide/setup.md'), true);
    assert.equal(isRemoteSourcePath('https://example.atlassian.net/wiki/spaces/DOC/pages/1'), true);
    assert.equal(isRemoteSourcePath('guide/setup.md'), false);
    assert.equal(isRemoteSourcePath('C:/docs/setup.md'), false);
    assert.equal(isRemoteSourcePath('notes: a file.md'), false);
  });

  it('splits s3 URIs into bucket and key', () => {
    assert.deepEqual(parseS3Uri('s3://docs-bucket/repo/guide/a b.md'), { bucket: 'docs-bucket', key: 'repo/guide/a b.md' });
    assert.deepEqual(parseS3Uri('s3://docs-bucket'), { bucket: 'docs-bucket', key: '' });
    assert.equal(parseS3Uri('https://docs-bucket.s3.amazonaws.com/a.md'), undefined);
  });

  it('links an s3 object to its S3 console page in the given region, escaping the key but not its slashes', () => {
    assert.equal(
      s3ConsoleUrl('s3://docs-bucket/repo/guide/proxy & tls.md', 'eu-central-1'),
      'https://s3.console.aws.amazon.com/s3/object/docs-bucket?region=eu-central-1&prefix=repo/guide/proxy%20%26%20tls.md',
    );
    assert.equal(
      s3ConsoleUrl('s3://docs-bucket/', 'us-west-2'),
      'https://s3.console.aws.amazon.com/s3/buckets/docs-bucket?region=us-west-2',
    );
  });

  it('opens workspace files locally, URLs as they are, s3 through the console, and nothing else', () => {
    assert.deepEqual(sourceTargetOf('guide/setup.md', 'us-east-1'), { kind: 'workspace', path: 'guide/setup.md' });
    assert.deepEqual(sourceTargetOf('https://acme.sharepoint.com/sites/docs/Setup.docx', 'us-east-1'), {
      kind: 'url',
      url: 'https://acme.sharepoint.com/sites/docs/Setup.docx',
    });
    assert.deepEqual(sourceTargetOf('s3://b/k.md', 'us-east-1'), {
      kind: 'url',
      url: 'https://s3.console.aws.amazon.com/s3/object/b?region=us-east-1&prefix=k.md',
    });
    assert.equal(sourceTargetOf('custom:doc-42', 'us-east-1').kind, 'none');
  });

  it('maps Knowledge Base URIs under the synced prefix back to workspace paths, and only those', () => {
    assert.equal(workspacePathOf('s3://acme-docs/repo/guide/a.md', 's3://acme-docs/repo'), 'guide/a.md');
    assert.equal(workspacePathOf('s3://acme-docs/repo/guide/a.md', 's3://acme-docs/repo/'), 'guide/a.md');
    assert.equal(workspacePathOf('s3://acme-docs/repository/a.md', 's3://acme-docs/repo'), undefined);
    assert.equal(workspacePathOf('s3://acme-docs/repo/a.md', ''), undefined);
    assert.deepEqual(sourceTargetOf('s3://acme-docs/repo/guide/a.md', 'us-east-1', 's3://acme-docs/repo/'), {
      kind: 'workspace',
      path: 'guide/a.md',
    });
  });
});
