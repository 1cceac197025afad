import assert from 'node:assert/strict';
import {
  catalogEntries,
  effectiveMaxTokens,
  lookupModel,
  parseModelId,
  topKFieldsFor,
  UNKNOWN_MODEL_DEFAULTS,
  unknownModelNotice,
} from '../../../src/core/models/catalog';
import { CATALOG_DATE } from '../../../src/core/models/catalogData';
import { modelFamily } from '../../../src/core/models/modelFamily';
import { SETTINGS } from '../../../src/core/settings';

const HAIKU_45 = 'anthropic.claude-haiku-4-5-20251001-v1:0';

describe('model catalog: id forms', () => {
  it('resolves foundation ids, profile ids and both kinds of ARN to the same entry', () => {
    const forms: Array<[string, string, string | undefined]> = [
      [HAIKU_45, 'foundation-model', undefined],
      [`us.${HAIKU_45}`, 'geo-profile', 'us'],
      [`eu.${HAIKU_45}`, 'geo-profile', 'eu'],
      [`global.${HAIKU_45}`, 'global-profile', 'global'],
      [`arn:aws:bedrock:us-east-1::foundation-model/${HAIKU_45}`, 'foundation-model', undefined],
      [`arn:aws:bedrock:us-east-1:123456789012:inference-profile/apac.${HAIKU_45}`, 'geo-profile', 'apac'],
      [`arn:aws:bedrock:eu-west-1:123456789012:inference-profile/global.${HAIKU_45}`, 'global-profile', 'global'],
    ];
    for (const [id, route, profile] of forms) {
      const info = lookupModel(id);
      assert.equal(info.known, true, id);
      assert.equal(info.baseModelId, HAIKU_45, id);
      assert.equal(info.route, route, id);
      assert.equal(info.profile, profile, id);
      assert.equal(info.modelId, id, 'keeps the id as given');
      assert.equal(info.family, 'anthropic');
      assert.equal(info.contextWindow, 200_000);
      assert.equal(info.caching?.minTokensPerCheckpoint, 4_096);
    }
  });

  it('tells the routes that hide the model apart', () => {
    assert.equal(parseModelId('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123').route, 'application-profile');
    assert.equal(parseModelId('arn:aws:bedrock:us-east-1:123456789012:provisioned-model/xyz').route, 'provisioned');
    assert.equal(parseModelId('arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/d1').route, 'custom');
    assert.equal(parseModelId('arn:aws:bedrock:us-east-1:123456789012:imported-model/m1').route, 'custom');
    assert.equal(parseModelId('arn:aws:s3:::bucket/key').route, 'unrecognized');
    // A dotted foundation id is not a profile: "amazon" is not a profile prefix.
    assert.deepEqual(parseModelId('amazon.nova-pro-v1:0'), { route: 'foundation-model', baseModelId: 'amazon.nova-pro-v1:0' });
  });
});

describe('model catalog: prices by route', () => {
  it('prices global profiles of Claude 4.5 models apart from regional ones (10 % lower)', () => {
    const global = lookupModel(`global.${HAIKU_45}`).prices!;
    const regional = lookupModel(`us.${HAIKU_45}`).prices!;
    const inRegion = lookupModel(HAIKU_45).prices!;
    assert.deepEqual(
      [global.inputPer1k, global.outputPer1k, global.cacheReadPer1k, global.cacheWritePer1k],
      [0.001, 0.005, 0.0001, 0.00125],
    );
    assert.deepEqual(
      [regional.inputPer1k, regional.outputPer1k, regional.cacheReadPer1k, regional.cacheWritePer1k],
      [0.0011, 0.0055, 0.00011, 0.001375],
    );
    assert.deepEqual(inRegion, regional);
    assert.equal(global.source, 'catalog');
  });

  it('uses the one price table for models AWS does not price apart (Sonnet 4 global = regional)', () => {
    const id = 'anthropic.claude-sonnet-4-20250514-v1:0';
    assert.deepEqual(lookupModel(`global.${id}`).prices, lookupModel(`us.${id}`).prices);
    assert.equal(lookupModel(`global.${id}`).prices?.inputPer1k, 0.003);
  });
});

describe('model catalog: unknown models', () => {
  const unknownIds = [
    'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123',
    'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/xyz',
    'arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/d1',
    'us.anthropic.claude-someday-v9:0',
  ];

  it('gives conservative defaults, no caching, no top-k and unknown (null) prices', () => {
    for (const id of unknownIds) {
      const info = lookupModel(id);
      assert.equal(info.known, false, id);
      assert.equal(info.contextWindow, UNKNOWN_MODEL_DEFAULTS.contextWindow);
      assert.equal(info.maxOutputTokens, UNKNOWN_MODEL_DEFAULTS.maxOutputTokens);
      assert.equal(info.caching, null);
      assert.equal(info.topK, null);
      assert.equal(info.prices, null, 'cost unknown, never 0');
      assert.match(unknownModelNotice(info)!, new RegExp(`32000-token window.*cost unknown`));
    }
    assert.equal(lookupModel('us.anthropic.claude-someday-v9:0').family, 'anthropic', 'the family still shows');
  });

  it('takes window, output and prices from overrides; null and negative values keep the defaults', () => {
    const info = lookupModel(unknownIds[0]!, {
      contextWindow: 100_000,
      maxOutputTokens: null,
      prices: { inputPer1k: 0.002, outputPer1k: 0, cacheReadPer1k: null, cacheWritePer1k: -1 },
    });
    assert.equal(info.contextWindow, 100_000);
    assert.equal(info.maxOutputTokens, UNKNOWN_MODEL_DEFAULTS.maxOutputTokens);
    assert.deepEqual(info.prices, { inputPer1k: 0.002, outputPer1k: 0, verified: false, note: 'from settings', source: 'settings' });
    assert.match(unknownModelNotice(info)!, /100000-token window.*prices from settings/);
    assert.equal(lookupModel(unknownIds[0]!, { prices: { inputPer1k: null } }).prices, null);
  });

  it('never lets overrides change a known model', () => {
    const info = lookupModel(`global.${HAIKU_45}`, { contextWindow: 1_000, maxOutputTokens: 10, prices: { inputPer1k: 99 } });
    assert.equal(info.contextWindow, 200_000);
    assert.equal(info.maxOutputTokens, 64_000);
    assert.equal(info.prices?.inputPer1k, 0.001);
    assert.equal(unknownModelNotice(info), undefined);
  });
});

describe('model catalog: request fields', () => {
  it('puts top-k where each model takes it, and nowhere for models without it', () => {
    assert.deepEqual(topKFieldsFor(lookupModel('anthropic.claude-3-haiku-20240307-v1:0'), 40), { top_k: 40 });
    assert.deepEqual(topKFieldsFor(lookupModel('us.amazon.nova-lite-v1:0'), 40), { inferenceConfig: { topK: 40 } });
    assert.deepEqual(topKFieldsFor(lookupModel('cohere.command-r-v1:0'), 40), { k: 40 });
    assert.equal(topKFieldsFor(lookupModel('meta.llama3-1-8b-instruct-v1:0'), 40), undefined);
    assert.equal(topKFieldsFor(lookupModel('mistral.mistral-large-2407-v1:0'), 40), undefined);
    assert.equal(topKFieldsFor(lookupModel('global.anthropic.claude-opus-4-7'), 40), undefined);
  });

  it('caps the answer length at the model maximum', () => {
    assert.equal(effectiveMaxTokens(lookupModel('amazon.nova-micro-v1:0'), 8_192), 5_000);
    assert.equal(effectiveMaxTokens(lookupModel(HAIKU_45), 2_048), 2_048);
  });
});

describe('model catalog data', () => {
  const entries = catalogEntries();

  it('is dated and lists each model once', () => {
    assert.match(CATALOG_DATE, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(new Set(entries.map((e) => e.id)).size, entries.length);
  });

  it('covers the default chat model and every embedding model the settings offer', () => {
    assert.equal(lookupModel(SETTINGS['chat.modelId'].default).known, true);
    for (const id of SETTINGS['embeddings.modelId'].enum) assert.equal(lookupModel(id).kind, 'embedding', id);
  });

  it('has coherent facts for every entry', () => {
    for (const e of entries) {
      assert.notEqual(modelFamily(e.id), 'unknown', e.id);
      for (const table of [e.prices, e.globalPrices]) {
        if (!table) continue;
        for (const v of [table.inputPer1k, table.outputPer1k, table.cacheReadPer1k, table.cacheWritePer1k])
          assert.ok(v === undefined || v >= 0, e.id);
        assert.ok(table.verified || table.note, `${e.id}: an unverified price says why`);
      }
      if (e.globalPrices) assert.ok(e.profiles.includes('global'), `${e.id}: global prices need a global profile`);
      if (e.kind === 'embedding') {
        assert.ok(e.prices.inputPer1k! > 0 && e.dimensions?.length, e.id);
        continue;
      }
      if (e.kind === 'rerank') {
        assert.ok(e.prices.queryPer1k! > 0 && e.prices.inputPer1k === undefined, `${e.id}: priced per query only`);
        continue;
      }
      assert.ok(e.contextWindow > e.maxOutputTokens && e.maxOutputTokens > 0, e.id);
      assert.ok(e.prices.inputPer1k! > 0 && e.prices.outputPer1k! >= e.prices.inputPer1k!, `${e.id}: output costs no less than input`);
      if (e.caching) {
        assert.ok(e.caching.minTokensPerCheckpoint > 0 && e.caching.maxCheckpoints > 0, e.id);
        for (const t of [e.prices, e.globalPrices]) {
          if (!t) continue;
          assert.ok(
            t.cacheReadPer1k! < t.inputPer1k! && t.cacheWritePer1k! >= t.inputPer1k!,
            `${e.id}: reads are cheaper, writes no cheaper`,
          );
        }
      }
    }
  });
});
