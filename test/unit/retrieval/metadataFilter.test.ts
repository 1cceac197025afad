import assert from 'node:assert/strict';
import { BedrockDocsError } from '../../../src/core/errors';
import { checkMetadataFilter, filterProblem, parseMetadataFilter } from '../../../src/core/retrieval/metadataFilter';

describe('Knowledge Base metadata filter', () => {
  it('accepts the documented operators, nested andAll/orAll included, and empty text as no filter', () => {
    const filter = {
      andAll: [
        { equals: { key: 'team', value: 'docs' } },
        { orAll: [{ greaterThan: { key: 'year', value: 2023 } }, { in: { key: 'product', value: ['cli', 'ide'] } }] },
      ],
    };
    assert.equal(filterProblem(filter), undefined);
    assert.deepEqual(parseMetadataFilter(JSON.stringify(filter)), filter);
    assert.equal(parseMetadataFilter('  '), undefined);
    assert.equal(checkMetadataFilter(''), undefined);
  });

  it('names the first problem and where it is', () => {
    assert.match(
      filterProblem({ equals: { key: 'a', value: 1 }, notEquals: { key: 'b', value: 2 } })!,
      /exactly one operator, found equals, notEquals/,
    );
    assert.match(filterProblem({ eq: { key: 'a', value: 1 } })!, /unknown operator "eq"/);
    assert.match(
      filterProblem({ andAll: [{ equals: { key: 'a', value: 1 } }] })!,
      /filter\.andAll: expected a list of at least two filters/,
    );
    assert.match(
      filterProblem({ andAll: [{ equals: { key: 'a', value: 1 } }, { lessThan: { key: 'year', value: '2020' } }] })!,
      /filter\.andAll\[1\]\.lessThan\.value: expected a number/,
    );
    assert.match(filterProblem({ in: { key: 'a', value: 'x' } })!, /in\.value: expected a non-empty list/);
    assert.match(filterProblem({ startsWith: { key: '', value: 'x' } })!, /startsWith\.key/);
    assert.match(filterProblem({ equals: { key: 'a', value: { nested: true } } })!, /expected a string, number or boolean/);
    assert.match(checkMetadataFilter('{team: docs}')!, /is not JSON/);
  });

  it('throws BAD_SETTING naming the setting and an example', () => {
    assert.throws(
      () => parseMetadataFilter('{"equals": {"key": "team"}}'),
      (err: unknown) => {
        assert.ok(err instanceof BedrockDocsError);
        assert.equal(err.code, 'BAD_SETTING');
        assert.match(err.message, /bedrockDocs\.knowledgeBase\.filter is not a valid metadata filter: filter\.equals\.value: missing/);
        assert.match(err.hint ?? '', /andAll/);
        return true;
      },
    );
  });
});
