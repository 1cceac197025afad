import * as assert from 'node:assert/strict';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { startFakeBedrock } from '../../fakes/fakeBedrock';
import { extensionActiveWhenFakeInstalled, useFakeBedrock } from '../fakeBedrockHost';

// Top level on purpose: a root hook, so the fake's env is set before any suite activates the extension.
const fake = useFakeBedrock(startFakeBedrock);

describe('the fake Bedrock inside the extension host', () => {
  it('points the AWS env at 127.0.0.1 before the extension activates', () => {
    assert.match(fake().url, /^http:\/\/127\.0\.0\.1:\d+/);
    for (const [key, value] of Object.entries(fake().env)) assert.equal(process.env[key], value, key);
    assert.equal(extensionActiveWhenFakeInstalled(), false, 'the extension was active before the fake env was set');
  });

  it('answers the real AWS SDK from the host, with a verified SigV4 signature', async () => {
    const client = new BedrockRuntimeClient({}); // endpoint, region and keys all come from the env
    try {
      const before = fake().requests.length;
      const reply = await client.send(
        new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'What is RRF?' }] }] }),
      );
      assert.ok(reply.output?.message?.content?.[0]?.text, 'a text answer');
      const request = fake().requests.at(-1);
      assert.equal(fake().requests.length, before + 1);
      assert.equal(request?.signature.valid, true, `signature: ${JSON.stringify(request?.signature)}`);
    } finally {
      client.destroy();
    }
  });
});
