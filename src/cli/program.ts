/**
 * `bedrock-docs`: index, search and ask a folder of docs from the terminal, with the same settings
 * (`<dir>/.vscode/settings.json`) and the same core as the extension. Exit codes: 0 ok, 1 runtime
 * error, 2 bad usage; errors on stderr in one line.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BedrockDocsError, describeError, isCancellation } from '../core/errors';
import type { SearchMode } from '../core/index/hybridIndex';
import type { SettingKey } from '../core/settings';
import type { CliIo, SessionFlags } from './cliSession';
import { askCommand } from './commands/askCommand';
import { compareCommand } from './commands/compareCommand';
import { usageCommand } from './commands/usageCommand';
import { evalCommand } from './commands/evalCommand';
import { indexCommand } from './commands/indexCommand';
import { searchCommand } from './commands/searchCommand';

const VERSION = '0.1.0';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

interface CommonOptions {
  dir?: string;
  cache?: string;
  verbose?: boolean;
  json?: boolean;
  k?: number;
  mode?: SearchMode;
  model?: string;
  profile?: string;
  region?: string;
  embeddings?: boolean;
  retrievalOnly?: boolean;
  perQuestion?: boolean;
  backend?: 'local' | 'knowledgeBase' | 'both';
  kbId?: string;
  agent?: boolean;
  models?: string;
  eval?: string;
  overBudget?: boolean;
}

function sessionFlags(dir: string, o: CommonOptions): SessionFlags {
  const overrides: Partial<Record<SettingKey, unknown>> = {};
  if (o.model) overrides['chat.modelId'] = o.model;
  if (o.profile) overrides['aws.profile'] = o.profile;
  if (o.region) overrides['aws.region'] = o.region;
  if (o.embeddings === false) overrides['embeddings.enabled'] = false;
  return { dir, cache: o.cache, verbose: o.verbose, overrides, backend: o.backend, knowledgeBaseId: o.kbId, overBudget: o.overBudget };
}

const modeOption = () => new Option('--mode <mode>', 'retrieval mode').choices(['fulltext', 'vector', 'hybrid']);

/** Runs the CLI; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let code = 0;
  const program = new Command('bedrock-docs')
    .description('Index your docs and ask them questions, grounded and cited, with Amazon Bedrock.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run bedrock-docs --help for usage)');
  const common = (cmd: Command) =>
    cmd
      .option('--cache <dir>', 'where the index is kept (default <dir>/.bedrock-docs)')
      .option('--profile <name>', 'AWS profile (overrides bedrockDocs.aws.profile)')
      .option('--region <region>', 'AWS Region (overrides bedrockDocs.aws.region)')
      .option('--no-embeddings', 'full-text only: no embedding calls')
      .addOption(
        new Option('--backend <backend>', 'retrieve from the local index, a Bedrock Knowledge Base, or both').choices([
          'local',
          'knowledgeBase',
          'both',
        ]),
      )
      .option('--kb-id <id>', 'Knowledge Base id (overrides bedrockDocs.knowledgeBase.id)')
      .option('--over-budget', 'allow Bedrock calls once bedrockDocs.usage.monthlyBudgetUsd is spent (otherwise none is sent)')
      .option('--json', 'machine-readable output')
      .option('-v, --verbose', 'log details to stderr');
  common(
    program
      .command('index')
      .argument('[dir]', 'folder to index', '.')
      .description('index a folder of docs (incrementally) and print a summary'),
  ).action(async (dir: string, o: CommonOptions) => {
    code = await indexCommand({ ...sessionFlags(dir, o), json: o.json }, io, signal);
  });
  common(
    program
      .command('search')
      .argument('<query>', 'what to look for; path:DIR, type:md and glob:PATTERN filter')
      .description('show the chunks that best match a query')
      .option('--dir <dir>', 'the indexed folder', '.')
      .option('--k <n>', 'number of results', positiveInt)
      .addOption(modeOption()),
  ).action(async (query: string, o: CommonOptions) => {
    code = await searchCommand(query, { ...sessionFlags(o.dir ?? '.', o), json: o.json, k: o.k, mode: o.mode }, io, signal);
  });
  common(
    program
      .command('ask')
      .argument('<question>', 'your question')
      .description('answer a question from the docs, with citations')
      .option('--dir <dir>', 'the indexed folder', '.')
      .option('--model <id>', 'model id, inference profile id or ARN (overrides bedrockDocs.chat.modelId)')
      .option('--k <n>', 'chunks retrieved', positiveInt)
      .option('--agent', 'agent mode: the model searches and reads the docs with tools')
      .addOption(modeOption()),
  ).action(async (question: string, o: CommonOptions) => {
    code = await askCommand(question, { ...sessionFlags(o.dir ?? '.', o), json: o.json, k: o.k, mode: o.mode, agent: o.agent }, io, signal);
  });
  common(
    program
      .command('compare')
      .argument('[question]', 'the question both models answer (or use --eval)')
      .description('answer with two or more models from the same retrieved sources, side by side')
      .requiredOption('--models <ids>', 'comma-separated model ids (at least two)')
      .option('--eval <file>', 'compare on an eval set (JSONL) instead of one question')
      .option('--dir <dir>', 'the indexed folder', '.')
      .option('--k <n>', 'chunks retrieved (and the eval cut-off)', positiveInt)
      .addOption(modeOption()),
  ).action(async (question: string | undefined, o: CommonOptions) => {
    code = await compareCommand(
      question,
      { ...sessionFlags(o.dir ?? '.', o), models: o.models ?? '', json: o.json, k: o.k, mode: o.mode, evalFile: o.eval },
      io,
      signal,
    );
  });
  common(
    program
      .command('eval')
      .argument('<file>', 'eval set: JSONL of {question, reference_answer?, relevant: [paths]}')
      .description('measure retrieval (recall@k, MRR, nDCG@k) and answers (ROUGE-L, BLEU, citation precision)')
      .option('--dir <dir>', 'the docs folder the relevant paths are relative to', '.')
      .option('--k <n>', 'cut-off for recall and nDCG', positiveInt, 5)
      .option('--retrieval-only', 'skip answer generation (no model calls)')
      .option('--per-question', 'also print a line per question')
      .option('--model <id>', 'model for answers')
      .addOption(modeOption()),
  ).action(async (file: string, o: CommonOptions) => {
    code = await evalCommand(
      file,
      { ...sessionFlags(o.dir ?? '.', o), json: o.json, k: o.k, mode: o.mode, retrievalOnly: o.retrievalOnly, perQuestion: o.perQuestion },
      io,
      signal,
    );
  });
  program
    .command('usage')
    .description('token usage and estimated cost of the questions and indexing run in a folder')
    .option('--dir <dir>', 'the folder (its .bedrock-docs/usage.jsonl)', '.')
    .option('--cache <dir>', 'where the index and usage records are kept (default <dir>/.bedrock-docs)')
    .option('--json', 'machine-readable output')
    .action(async (o: { dir: string; cache?: string; json?: boolean }) => {
      code = await usageCommand({ dir: o.dir, cache: o.cache, json: o.json }, io);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (isCancellation(err)) {
      io.err('bedrock-docs: cancelled\n');
      return 130;
    }
    io.err(`bedrock-docs: ${describeError(err)}\n`);
    if (!(err instanceof BedrockDocsError) && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
    return err instanceof BedrockDocsError && (err.code === 'BAD_SETTING' || err.code === 'BAD_INPUT') ? 2 : 1;
  }
}
