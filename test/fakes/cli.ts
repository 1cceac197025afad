/**
 * `npm run fake-bedrock [-- --port N]`: runs the fake Bedrock until Ctrl-C, prints the variables
 * that point the SDK (or `bedrock-docs`) at it, and logs one line per request.
 */
import { parseArgs } from 'node:util';
import { startFakeBedrock } from './fakeBedrock';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('Usage: npm run fake-bedrock -- [--port N]\nStarts a fake Bedrock Runtime on 127.0.0.1 (HTTP/1.1 and h2c, SigV4 checked).');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, not ${values.port}`);
  const fake = await startFakeBedrock({
    port,
    log: (line) => console.log(`${new Date().toISOString().slice(11, 23)} ${line}`),
  });
  console.log(`Fake Bedrock Runtime listening on ${fake.url}\n\nPaste into a shell to use it:\n`);
  for (const [name, value] of Object.entries(fake.env)) console.log(`export ${name}=${value}`);
  console.log('unset AWS_PROFILE AWS_SESSION_TOKEN AWS_BEARER_TOKEN_BEDROCK\n\nCtrl-C stops it.\n');
  const stop = () => {
    console.log('\nstopping');
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
