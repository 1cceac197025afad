import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { createRedactor, REDACTION_CATEGORIES } from '../../../src/core/safety/redact';
import { fuzzSeed, seededRandom } from './seededRandom';

const redactor = createRedactor();

// Inputs shaped to make a backtracking regex go quadratic or worse: long runs that almost match.
// At this size a super-linear pattern would not finish within mocha's timeout; a linear one takes
// milliseconds. Times are printed, never asserted (performance belongs to `npm run bench`).
const MB = 1 << 20;
const PATHOLOGICAL: Array<[string, () => string]> = [
  ['one long word', () => 'a'.repeat(MB)],
  ['a local part with no @', () => 'a.b_c+d-'.repeat(MB / 8)],
  ['one @ before endless labels', () => `x@${'a.'.repeat(MB / 2)}`],
  ['@ after every letter', () => 'a@'.repeat(MB / 2)],
  ['BEGIN markers with no END', () => '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(MB / 32)],
  ['one BEGIN, then base64 forever', () => `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(MB / 4)}`],
  ['key names with no value', () => 'password='.repeat(MB / 9)],
  ['key names with unclosed quotes', () => 'api_key: "'.repeat(MB / 10)],
  ['chained key names', () => 'a_password:'.repeat(MB / 11)],
  ['flags with no value', () => '--password '.repeat(MB / 11)],
  ['a base64 run', () => 'Ab9+/'.repeat(MB / 5)],
  ['40-char candidates beside a key name', () => `secret key ${'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY '.repeat(MB / 41)}`],
  ['digits and separators', () => '1 2-3.4 '.repeat(MB / 8)],
  ['plus signs and digits', () => '+1 (2'.repeat(MB / 5)],
  ['a 1 MB number', () => '4'.repeat(MB)],
  ['JWT prefixes', () => 'eyJhbGci.eyJ'.repeat(MB / 12)],
  ['JWT segments with no final dot', () => `eyJhbGciOiJI.eyJ${'a.eyJ'.repeat(MB / 5)}`],
  ['API key prefixes inside one base64 run', () => '/ABSK'.repeat(MB / 5)],
  ['GitHub prefixes', () => ' ghp_'.repeat(MB / 5)],
  ['bearer with short tokens', () => 'Bearer abc '.repeat(MB / 11)],
  ['URL userinfo with no @', () => 'http://user:pass'.repeat(MB / 16)],
  ['whitespace only', () => ' \t'.repeat(MB / 2)],
  // Normalisation and the newer detectors.
  ['zero-width spaces', () => 'a\u200B'.repeat(MB / 2)],
  ['full-width letters', () => 'ＡＫＩＡ'.repeat(MB / 4)],
  ['percent escapes and references', () => '%41&#8203;&shy;'.repeat(MB / 16)],
  ['lines that each end in a run', () => 'AKIA1234\n'.repeat(MB / 9)],
  ['continued lines', () => '"ab12" +\n'.repeat(MB / 9)],
  ['base64 runs with inner padding', () => 'QUtJQ=x'.repeat(MB / 7)],
  ['one huge base64 run', () => 'QUtJQVpYNDVR'.repeat(MB / 12)],
  ['XML tags with no end', () => '<password>x'.repeat(MB / 11)],
  ['table rows', () => '| Password | x1 |\n'.repeat(MB / 18)],
  ['"password is" with no value', () => 'password is '.repeat(MB / 12)],
  ['.netrc words', () => 'machine login x password '.repeat(MB / 25)],
  ['mysql -p flags', () => 'mysql -p'.repeat(MB / 8)],
  ['curl -u with no colon', () => 'curl -u abc '.repeat(MB / 12)],
  ['crypt hash prefixes', () => '$apr1$'.repeat(MB / 6)],
  ['webhook prefixes', () => 'hooks.slack.com/services/'.repeat(MB / 25)],
  ['quoted local parts with no @', () => '"a"'.repeat(MB / 3)],
  ['spelled [at] with no domain', () => 'a [at] '.repeat(MB / 7)],
  ['phone words before zeros', () => 'Tel. 0 12 '.repeat(MB / 10)],
  ['plus signs before groups', () => '+1 2 3 4 5 6 7 8 9 '.repeat(MB / 20)],
  ['card groups split over lines', () => '4111 1111\n'.repeat(MB / 10)],
  ['URL authorities with colons', () => '://a:b:c:d'.repeat(MB / 10)],
];

describe('redact: limits', () => {
  for (const [name, make] of PATHOLOGICAL) {
    it(`stays linear on ${name} (1 MiB)`, () => {
      const text = make();
      const started = performance.now();
      const out = redactor.redact(text);
      const ms = performance.now() - started;
      console.log(`      ${name}: ${ms.toFixed(0)} ms`);
      assert.equal(typeof out, 'string');
      // Every placeholder stands for at least one character, so nothing grows without bound.
      assert.ok(out.length <= text.length * 2, name);
    });
  }

  it('never throws and is idempotent on random text over a hostile alphabet', () => {
    const seed = fuzzSeed(0x5eed);
    const random = seededRandom(seed);
    const alphabet = [...'aA0189@._-+()[]{}:="\'`\\/ \n\t'].concat([
      'AKIA',
      'eyJ',
      'password',
      'token',
      '-----BEGIN ',
      'PRIVATE KEY-----',
      '://',
      'Bearer ',
      '4111 ',
      '+44 ',
      'ghp_',
    ]);
    for (let round = 0; round < 200; round++) {
      let text = '';
      const length = 1 + random.int(400);
      for (let i = 0; i < length; i++) text += random.pick(alphabet);
      const once = redactor.redact(text);
      assert.equal(redactor.redact(once), once, `seed ${seed}, round ${round}: ${JSON.stringify(text)}`);
      const findings = redactor.findings(text);
      for (let i = 1; i < findings.length; i++) {
        assert.ok((findings[i - 1]?.end ?? 0) <= (findings[i]?.start ?? 0), `seed ${seed}, round ${round}: overlapping findings`);
      }
    }
  });

  it('prints its speed on 1 MiB of documentation with secrets sprinkled in', () => {
    const paragraph = [
      '## Configure the CLI',
      'Run `aws configure` and enter AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY when asked for the secret access key.',
      'Version 2.13.4 was released on 2023-06-01; see lines 120-135 of main.ts, or 10.0.0.1:8080 for the proxy.',
      '```yaml\ndatabase:\n  host: db.internal\n  password: "Zq8xV2nLp0"\n  pool: 10\n```',
      'Questions: write to ops-team@acme.io or call +1 206 555 0100. Test card 4111 1111 1111 1111.',
      'The instance ID is i-1234567890abcdef0 in account 123456789012; the ARN is arn:aws:iam::123456789012:role/App.',
      '',
    ].join('\n');
    const text = paragraph.repeat(Math.ceil(MB / paragraph.length));
    const perParagraph = redactor.findings(paragraph).length;
    const started = performance.now();
    const findings = redactor.findings(text);
    const out = redactor.redact(text);
    const ms = performance.now() - started;
    console.log(`      ${(text.length / MB).toFixed(2)} MiB, ${findings.length} findings: findings + redact in ${ms.toFixed(0)} ms`);
    assert.equal(perParagraph, REDACTION_CATEGORIES.length - 1, 'every category but privateKey is in the paragraph');
    assert.equal(findings.length, perParagraph * Math.ceil(MB / paragraph.length));
    assert.ok(!out.includes('AKIAIOSFODNN7EXAMPLE') && !out.includes('ops-team@acme.io') && !out.includes('Zq8xV2nLp0'));
  });
});
