// `npm run demo [-- DIR "question"]`: the main job on the embedded default. Builds, indexes a docs
// folder (default: test/fixtures/docs), answers a search; asks Bedrock too when AWS credentials
// resolve (otherwise says why not). Uses the same CLI users run: dist/cli.js.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? join(root, 'test', 'fixtures', 'docs');
const question = process.argv[3] ?? 'Which port does the proxy listen on?';
const cli = join(root, 'dist', 'cli.js');

function run(args, { check = true } = {}) {
  console.log(`\n$ bedrock-docs ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (check && r.status !== 0) process.exit(r.status ?? 1);
  return r.status;
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) process.exit(build.status ?? 1);
run(['index', dir]);
run(['search', question, '--dir', dir, '--k', '3']);
const hasAws = ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME'].some(
  (k) => process.env[k],
);
if (hasAws) run(['ask', question, '--dir', dir], { check: false });
else
  console.log(
    '\nNo AWS credentials in the environment: skipped `ask`. Set AWS_PROFILE (or keys, or AWS_BEARER_TOKEN_BEDROCK) to get a cited answer from Bedrock.',
  );
