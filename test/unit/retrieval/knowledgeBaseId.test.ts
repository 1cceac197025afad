import assert from 'node:assert/strict';
import { checkKnowledgeBaseId } from '../../../src/core/retrieval/knowledgeBaseId';

describe('Knowledge Base ID setting', () => {
  it('accepts empty (not configured) and IDs of up to 10 letters and digits; names what a pasted ARN or name is', () => {
    assert.equal(checkKnowledgeBaseId(''), undefined);
    assert.equal(checkKnowledgeBaseId('KB12345678'), undefined);
    assert.match(
      checkKnowledgeBaseId('arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678')!,
      /not a Knowledge Base ID.*not the ARN or the name/,
    );
    assert.match(checkKnowledgeBaseId('team-docs-kb')!, /not a Knowledge Base ID/);
    assert.match(checkKnowledgeBaseId('KB123456789')!, /up to 10/);
  });
});
