import assert from 'node:assert/strict';
import { contentHash } from '../../../src/core/hash';
import { estimateTokens, estimateTokensUpTo } from '../../../src/core/tokens';

describe('estimateTokens', () => {
  it('counts about one token per common English word', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('the'), 1);
    const prose = 'The proxy listens on port 3128 by default and forwards each request to the upstream service.';
    // Claude's public tokenizer counts 19 tokens for this sentence.
    assert.ok(Math.abs(estimateTokens(prose) - 19) <= 3, String(estimateTokens(prose)));
  });

  it('charges more per character for code than for prose', () => {
    // Claude's public tokenizer: 29 tokens for this code (78 chars), 17 for the prose (86 chars).
    const code = 'if (!cfg?.proxy) { throw new Error(`bad: ${x}`); } else { run(cfg.proxy[0]); }';
    const prose = 'when the settings have no proxy the gateway stops and tells you why, otherwise it runs';
    assert.ok(Math.abs(estimateTokens(code) - 29) <= 4, String(estimateTokens(code)));
    assert.ok(Math.abs(estimateTokens(prose) - 17) <= 3, String(estimateTokens(prose)));
    assert.ok(estimateTokens(code) / code.length > (1.4 * estimateTokens(prose)) / prose.length);
  });

  it('counts CJK per character and long repeated runs cheaply', () => {
    // Claude's public tokenizer: 10 tokens for these 11 characters, 6 for three emoji.
    assert.ok(Math.abs(estimateTokens('代理服务器在端口上监听') - 10) <= 2);
    assert.ok(estimateTokens('-'.repeat(640)) <= 12);
    assert.ok(estimateTokens(' '.repeat(640)) <= 12);
    assert.ok(Math.abs(estimateTokens('😀😀😀') - 6) <= 1);
  });

  it('stops early under a limit but agrees on what fits', () => {
    const text = 'word '.repeat(10_000);
    assert.equal(estimateTokensUpTo('a few words', 100), estimateTokens('a few words'));
    const capped = estimateTokensUpTo(text, 50);
    assert.ok(capped > 50 && capped < 60);
  });
});

describe('contentHash', () => {
  it('is the SHA-256 hex of the UTF-8 bytes, for text and for bytes alike', () => {
    assert.equal(contentHash(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(contentHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.notEqual(contentHash('café'), contentHash('cafe'));
    assert.equal(contentHash(new TextEncoder().encode('café')), contentHash('café'));
  });
});
