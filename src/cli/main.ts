import { runCli } from './program';

// The AWS SDK warns on every run under Node 20 that its 2027 releases will need Node 22. The
// bundled SDK works on Node 20, and the README says so; the warning is noise in a CLI's stderr.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  const name = warning instanceof Error ? warning.name : type;
  const text = warning instanceof Error ? warning.message : warning;
  if (name === 'NodeVersionSupportWarning' || text.startsWith('NodeVersionSupportWarning')) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
runCli(
  process.argv.slice(2),
  { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), isTty: !!process.stderr.isTTY },
  controller.signal,
).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bedrock-docs: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
