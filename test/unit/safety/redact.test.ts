import assert from 'node:assert/strict';
import type { RedactionCategory } from '../../../src/core/safety/redact';
import { createRedactor, REDACTION_CATEGORIES } from '../../../src/core/safety/redact';

// A fixed installation salt: 32 bytes of 0x01 (the expected placeholders below were computed
// with `openssl dgst -sha256 -mac HMAC -macopt hexkey:0101...01`, not by this code).
const SALT = new Uint8Array(32).fill(1);
const redactor = createRedactor({ salt: SALT });
const redact = redactor.redact;

/** The categories found in `text`, in text order. */
function found(text: string): RedactionCategory[] {
  return redactor.findings(text).map((f) => f.category);
}

/** The exact substrings that would be redacted. */
function spans(text: string): string[] {
  return redactor.findings(text).map((f) => text.slice(f.start, f.end));
}

// Built at run time so secret scanners do not flag this file; the shapes are what matter.
const GITHUB_PAT = `ghp_${'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'}`;
const GITHUB_FINE = `github_pat_${'11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'}`;
const SLACK = `xoxb-${'123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'}`;
const JWT = [
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
].join('.');
const BEDROCK_KEY = `ABSK${'QmVkcm9ja0FQSUtleS1leGFtcGxlLWtleS0xMjM0NTY3ODkw'}`;
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('redact: what it finds', () => {
  it('redacts AWS access key ids, the documentation example included', () => {
    assert.deepEqual(spans('key AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A.'), ['AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A']);
    assert.match(redact('"accessKeyId": "AKIAIOSFODNN7EXAMPLE"'), /^"accessKeyId": "\[AWS_ACCESS_KEY_[0-9a-f]{6}\]"$/);
    // Part of a longer word, or a user id (AIDA), is not an access key.
    assert.deepEqual(found('XAKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLE1 AIDAJQABLZS4A3QDU576Q'), []);
  });

  it('redacts a 40-character secret key near a key name or an access key id, or alone when it looks random; never a git SHA', () => {
    assert.deepEqual(found(`aws_secret_access_key = ${SECRET_KEY}`), ['awsSecretKey']);
    assert.deepEqual(found(`AWS Secret Access Key [None]: ${SECRET_KEY}`), ['awsSecretKey']);
    assert.deepEqual(found(`AKIAIOSFODNN7EXAMPLE\n${SECRET_KEY}`), ['awsAccessKey', 'awsSecretKey']);
    assert.deepEqual(found(`"SecretAccessKey" : "${SECRET_KEY}",`), ['awsSecretKey']);
    // Alone, a random-looking 40-char word is a secret; identifiers and paths of that length are not.
    assert.deepEqual(found(`a random base64 string ${SECRET_KEY} in prose`), ['awsSecretKey']);
    assert.deepEqual(found('Call ThisIsAVeryLongIdentifierNameForTesting1 from the handler.'), []);
    assert.deepEqual(found('See docs.aws.amazon.com/AWSEC2/latest/UserGuide/EBSOptimized.html'), []);
    assert.deepEqual(found('secret key commit 0123456789abcdef0123456789abcdef01234567'), []);
  });

  it('redacts PEM private keys whole, truncated ones through their body, and JSON-escaped ones', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1x2y3z\nQWxhZGRpbjpvcGVuIHNlc2FtZQ==\n-----END RSA PRIVATE KEY-----';
    assert.equal(spans(`before\n${pem}\nafter`)[0], pem);
    assert.match(redact(`before\n${pem}\nafter`), /^before\n\[PRIVATE_KEY_[0-9a-f]{6}\]\nafter$/);
    const cut =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\nAAAAAAAABAAAAMwAAAAtzc2gtZWQ\n\nThe key above is cut short.';
    assert.match(redact(cut), /^\[PRIVATE_KEY_[0-9a-f]{6}\]\nThe key above is cut short\.$/);
    const escaped = '{"ssl_key":"-----BEGIN PRIVATE KEY-----\\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"}';
    assert.match(redact(escaped), /^\{"ssl_key":"\[PRIVATE_KEY_[0-9a-f]{6}\]\\n"\}$/);
    assert.deepEqual(found('-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF2f3RkBCAC7uV9nA1x2\n-----END PGP PRIVATE KEY BLOCK-----'), [
      'privateKey',
    ]);
    // Prose that names the markers, and template bodies, hold no key.
    assert.deepEqual(found('The file must begin with "-----BEGIN RSA PRIVATE KEY-----" and end with "-----END RSA PRIVATE KEY-----".'), []);
    assert.deepEqual(found('-----BEGIN RSA PRIVATE KEY-----\nssl_key_pem_body_code\n-----END RSA PRIVATE KEY-----'), []);
    // Public material is not secret.
    assert.deepEqual(
      found(
        '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----\n-----BEGIN PUBLIC KEY-----\nMFkwEwYH\n-----END PUBLIC KEY-----',
      ),
      [],
    );
  });

  it('redacts tokens by their shape: GitHub, Slack, JWT, Bedrock API keys, bearer tokens, URL passwords', () => {
    assert.deepEqual(spans(`use ${GITHUB_PAT} or ${GITHUB_FINE}`), [GITHUB_PAT, GITHUB_FINE]);
    assert.deepEqual(spans(`SLACK=${SLACK}`), [SLACK]);
    assert.deepEqual(spans(`id ${JWT} end`), [JWT]);
    assert.deepEqual(spans(`AWS_BEARER_TOKEN_BEDROCK=${BEDROCK_KEY}`), [BEDROCK_KEY]);
    assert.deepEqual(spans('Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0'), ['9f8e7d6c5b4a39281706f5e4d3c2b1a0']);
    assert.deepEqual(spans('postgres://admin:S3cretPass@db.internal:5432/app'), ['S3cretPass']);
    assert.equal(
      redact('postgres://admin:S3cretPass@db.internal:5432/app').endsWith('@db.internal:5432/app'),
      true,
      'the host stays readable',
    );
    assert.deepEqual(found('Send a bearer token in the Authorization header: Bearer <token>. See https://example.com:8443/path.'), []);
  });

  it('redacts values assigned to secret names in env files, YAML, JSON, code and command lines', () => {
    const cases: Array<[string, string]> = [
      ['DB_PASSWORD=hunter2x', 'hunter2x'],
      ['export GITHUB_TOKEN="s3cr3t-t0ken-value"', 's3cr3t-t0ken-value'],
      ['  api_key: 9b1deb4d3b7d', '9b1deb4d3b7d'],
      ['{"password": "p@ss w0rd!", "user": "x"}', 'p@ss w0rd!'],
      ["const clientSecret = 'Zq8xV2nLp0';", 'Zq8xV2nLp0'],
      ['"SecretString": "{\\"username\\":\\"admin\\",\\"password\\":\\"Pa55-w0rd\\"}"', 'Pa55-w0rd'],
      ['curl "https://api.test/v1?user=a&access_token=ya29a0AfH6SM&x=1"', 'ya29a0AfH6SM'],
      ['x-api-key: abcd1234efgh', 'abcd1234efgh'],
      ['aws rds create-db-instance --master-user-password secret99 --engine mysql', 'secret99'],
      ['X-Amz-Security-Token: AQoDYXdzEIH//////////wEa0AIX=', 'AQoDYXdzEIH//////////wEa0AIX='],
    ];
    for (const [text, secret] of cases) assert.deepEqual(spans(text), [secret], text);
  });

  it('leaves placeholders, types, references, code and non-secret tokens alone', () => {
    const text = [
      'password: ${DB_PASSWORD}',
      'password: <your-password>',
      'apiKey: string;',
      'this.apiKey = apiKey;',
      'password = getPassword()',
      'token: process.env.TOKEN',
      '"MasterUserPassword": "MasterUserPassword",',
      '"password": "choose_your_own_password"',
      'Password: The password for the master user.',
      '**Password** – ******',
      'password: |',
      'NextToken: eyJ0b2tlbiI6IHRlc3R9',
      '"ClientToken": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"',
      '--next-token AAABASqX4NWjvNceoyMUlj --client-token 550e8400-e29b-41d4',
      '"ServiceToken": "arn:aws:lambda:us-east-2:123456789012:function:primer",',
      'TOKEN=`curl -X PUT "http://169.254.169.254/latest/api/token"`',
      'psql --username=awsuser --password --dbname=postgres',
      'bypass: true',
      'key: photos/2006/February/sample.jpg',
      'max_tokens: 1024',
      'secret_name: prod/db/credentials',
    ].join('\n');
    assert.deepEqual(spans(text), []);
  });

  it('redacts email addresses, keeping documentation domains, host names and image names', () => {
    assert.deepEqual(spans('Write to jane.doe@acme.io or Ops+Alerts@mail.corp.co.uk.'), ['jane.doe@acme.io', 'Ops+Alerts@mail.corp.co.uk']);
    assert.deepEqual(found('mailto:helpdesk@apnic.net'), ['email']);
    const kept =
      'user@example.com, a@b.example.org, ssh ec2-user@ec2-198-51-100-1.compute-1.amazonaws.com, root@ip-10-0-0-1.ec2.internal, Git_squid@2x.png, npm i @aws-sdk/client-s3@3.5.0';
    assert.deepEqual(found(kept), []);
  });

  it('redacts US and international phone numbers, not versions, dates, IPs, line ranges or ids', () => {
    const phones = [
      '(206) 555-0100',
      '206-555-0100',
      '206.555.0100',
      '+1 206 555 0100',
      '1-800-555-0199',
      '+44 20 7946 0958',
      '+81-3-1234-5678',
      '+33 1 23 45 67 89',
      '+19999999999',
    ];
    for (const phone of phones) assert.deepEqual(spans(`Call ${phone}.`), [phone], phone);
    const notPhones = [
      'version 1.22.333',
      'v10.100.2000',
      '2023-01-15',
      '2023-01-15T10:20:30Z',
      '10.0.0.1',
      '192.168.100.200',
      'lines 120-135',
      'L120-L4567',
      'src/a.ts:120:45',
      '1234-5678-9012',
      '123456789012',
      '1700000000000',
      'port 5432-5439',
      '123-456-7890',
      'ISBN 978-3-16-148410-0',
      'sha 3f2a9c4d',
      '+1500',
      'x+12345678901',
    ];
    for (const text of notPhones) assert.deepEqual(found(text), [], text);
  });

  it('redacts Luhn-valid card numbers with a known issuer prefix, plain or grouped', () => {
    const cards = [
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      '4111111111111111',
      '5555 5555 5555 4444',
      '3782 822463 10005',
      '6011000990139424',
    ];
    for (const card of cards) assert.deepEqual(spans(`card ${card} ok`), [card], card);
    // Mixed separators are still the usual grouping: a disguise, not a different number.
    assert.deepEqual(spans('card 4111-1111 1111-1111 ok'), ['4111-1111 1111-1111']);
    const notCards = ['4111 1111 1111 1112', '41111 11111 111111', '1234567890123456', '0000 0000 0000 0000', '9780306406157123'];
    for (const text of notCards) assert.deepEqual(found(text), [], text);
  });
});

describe('redact: placeholders, options and findings', () => {
  it('gives the same value the same placeholder in every text, redactor and run: HMAC-SHA256 under the salt', () => {
    const a = redact('Contact jane@acme.io about it.');
    const b = createRedactor({ salt: new Uint8Array(32).fill(1) }).redact('jane@acme.io wrote: hello');
    // Fixed across runs for one salt: the embedding cache is keyed by the redacted text.
    assert.equal(a, 'Contact [EMAIL_991110] about it.');
    assert.equal(b, '[EMAIL_991110] wrote: hello');
    assert.equal(redact('JANE@ACME.IO'), '[EMAIL_991110]', 'emails ignore case');
    assert.equal(redact('4111 1111 1111 1111'), '[CREDIT_CARD_fd3d8f]');
    assert.equal(redact('akiaiosfodnn7example'), '[AWS_ACCESS_KEY_775446]', 'access key ids ignore case');
    assert.equal(redact('ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ'), '[AWS_ACCESS_KEY_775446]', 'full-width is the same id');
    assert.equal(redact('(206) 555-0100'), redact('+1 206-555-0100'), 'one phone number, two spellings');
    assert.equal(redact('4111 1111 1111 1111'), redact('4111-1111-1111-1111'));
    assert.notEqual(redact('jane@acme.io'), redact('john@acme.io'));
  });

  it('derives placeholders from the salt: another salt, other placeholders; no salt, a random one per process', () => {
    const other = createRedactor({ salt: new Uint8Array(32).fill(2) }).redact('jane@acme.io');
    assert.equal(other, '[EMAIL_f0ce24]');
    assert.notEqual(other, redact('jane@acme.io'));
    const unsalted = createRedactor().redact('jane@acme.io');
    assert.match(unsalted, /^\[EMAIL_[0-9a-f]{6}\]$/);
    assert.notEqual(unsalted, redact('jane@acme.io'), 'never the unsalted or a fixed salt');
    assert.equal(createRedactor().redact('jane@acme.io'), unsalted, 'one process, one salt');
    assert.throws(() => createRedactor({ salt: new Uint8Array(8) }), /at least 16 bytes/);
  });

  it('turns each category off on its own', () => {
    const text = `AKIAIOSFODNN7EXAMPLE ${SECRET_KEY} secret key\n-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n${GITHUB_PAT} jane@acme.io (206) 555-0100 4111 1111 1111 1111`;
    assert.deepEqual(new Set(found(text)), new Set(REDACTION_CATEGORIES));
    for (const off of REDACTION_CATEGORIES) {
      const categories = createRedactor({ categories: { [off]: false } })
        .findings(text)
        .map((f) => f.category);
      assert.ok(!categories.includes(off), off);
      assert.equal(categories.length, REDACTION_CATEGORIES.length - 1, off);
    }
    assert.equal(createRedactor({ categories: Object.fromEntries(REDACTION_CATEGORIES.map((c) => [c, false])) }).redact(text), text);
  });

  it('reports each finding with offsets, 1-based line and column, and the placeholder that redact inserts', () => {
    const text = 'line one\n  mail jane@acme.io\r\nkey AKIAIOSFODNN7EXAMPLE';
    const findings = redactor.findings(text);
    assert.deepEqual(
      findings.map(({ category, line, column }) => ({ category, line, column })),
      [
        { category: 'email', line: 2, column: 8 },
        { category: 'awsAccessKey', line: 3, column: 5 },
      ],
    );
    for (const f of findings) assert.ok(!JSON.stringify(f).includes(text.slice(f.start, f.end)), 'a finding never carries the secret');
    let rebuilt = text;
    for (const f of [...findings].reverse()) rebuilt = rebuilt.slice(0, f.start) + f.placeholder + rebuilt.slice(f.end);
    assert.equal(rebuilt, redact(text));
  });

  it('merges overlapping matches into one span named by the strongest category', () => {
    const text = `aws_secret_access_key=${SECRET_KEY}`;
    assert.deepEqual(
      redactor.findings(text).map((f) => [f.category, f.start, f.end]),
      [['awsSecretKey', 22, 62]],
    );
    assert.deepEqual(found('password: "AKIAIOSFODNN7EXAMPLE"'), ['awsAccessKey']);
    assert.deepEqual(found(`Authorization: Bearer ${JWT}`), ['token']);
  });

  it('finds nothing in documentation full of ids, hashes, numbers and examples that are not secrets', () => {
    const doc = [
      '# Launch an instance',
      'Run `aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type t3.micro --key-name MyKeyPair`.',
      'The response includes `"InstanceId": "i-1234567890abcdef0"` and `"OwnerId": "123456789012"`.',
      'Role ARN: arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20200101T000001',
      'Request ID 7f3d2c1b-8a9e-4b6f-9c0d-1e2f3a4b5c6d; ETag "d41d8cd98f00b204e9800998ecf8427e"; commit 3f2a9c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b.',
      'Listen on 0.0.0.0:8080, forward to 10.0.12.7:443 and 2001:db8::ff00:42:8329. Timeout 30000 ms, 1.25 Gbps, version 2.13.4.',
      'Published 2021-12-09T10:20:30.123Z; epoch 1639045230123; throughput 1,000,000 requests; size 4,294,967,296 bytes.',
      'Contact user@example.com; SSH as ec2-user@ec2-203-0-113-25.compute-1.amazonaws.com.',
      '| Parameter | Type | Description |',
      '| Password | String | The password for the master database user. |',
      '- **KmsKeyId** – The key: alias/aws/ebs. **NextToken** – Use it to get the next page.',
      'The S3 object key is photos/2006/February/sample.jpg; "Key": "reports/2021/q4.csv".',
      '![icon](images/icons/File_browser_squid@2x.png) See lines 120-135 and page 4 of 12.',
      'secret_name: prod/app/db, token_type: Bearer, max_tokens: 4096, public_key: ssh-rsa AAAAB3NzaC1yc2E',
    ].join('\n');
    assert.deepEqual(
      redactor.findings(doc).map((f) => `${f.category}: ${doc.slice(f.start, f.end)}`),
      [],
    );
  });

  it('returns the same string, untouched, when there is nothing to redact', () => {
    const text = 'Launch an instance with `aws ec2 run-instances --image-id ami-0abcdef1234567890 --count 1`.';
    assert.equal(redact(text), text);
    assert.deepEqual(redactor.findings(''), []);
    assert.equal(redact(''), '');
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    const text = `DB_PASSWORD=hunter2x\n"password": "p@ss w0rd!"\nmail jane@acme.io, call +44 20 7946 0958\n${GITHUB_PAT}\nAKIAIOSFODNN7EXAMPLE ${SECRET_KEY}`;
    const once = redact(text);
    assert.notEqual(once, text);
    assert.equal(redact(once), once);
  });
});
