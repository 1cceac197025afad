import { runCli } from './program';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
runCli(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), isTty: !!process.stderr.isTTY }, controller.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bedrock-docs: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
