import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseEvalSet } from '../../core/eval/evalSet';
import { formatOverallTable, overallKeys } from '../../core/eval/formatEvalTable';
import { BedrockDocsError } from '../../core/errors';
import type { SearchMode } from '../../core/index/hybridIndex';
import { compareOnSet, compareQuestion } from '../../core/rag/questionPipeline';
import type { CliIo, SessionFlags } from '../cliSession';
import { withSession } from '../cliSession';
import { totalJson } from './askCommand';

/**
 * `bedrock-docs compare "<question>" --models A,B` (or `--eval set.jsonl`): the same retrieved
 * sources answered by each model, side by side with tokens, latency and cost (and eval metrics).
 */
export async function compareCommand(
  question: string | undefined,
  flags: SessionFlags & { models: string; json?: boolean; k?: number; mode?: SearchMode; evalFile?: string },
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const modelIds = flags.models
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (modelIds.length < 2)
    throw new BedrockDocsError(
      'BAD_INPUT',
      '--models needs at least two model ids, separated by commas',
      'e.g. --models us.amazon.nova-lite-v1:0,global.anthropic.claude-haiku-4-5-20251001-v1:0',
    );
  if (!question && !flags.evalFile) throw new BedrockDocsError('BAD_INPUT', 'give a question or --eval <file.jsonl>');
  return withSession(flags, io, signal, async (session) => {
    const deps = await session.pipeline();
    if (flags.evalFile) {
      const items = parseEvalSet(await readFile(resolve(flags.evalFile), 'utf8'), flags.evalFile);
      const k = flags.k ?? 5;
      const result = await compareOnSet(items, modelIds, deps, { k, mode: flags.mode, signal });
      if (flags.json) {
        io.out(
          JSON.stringify(
            {
              k: result.k,
              variants: result.variants.map((v) => ({ label: v.label, modelId: v.modelId, overall: v.report.overall })),
              total: totalJson(result.total),
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        io.out(
          formatOverallTable(
            result.variants.map((v) => ({ name: `${v.label}: ${v.modelId}`, values: v.report.overall })),
            overallKeys(k),
          ) + '\n',
        );
      }
      return 0;
    }
    const comparison = await compareQuestion({ question: question!, k: flags.k, mode: flags.mode }, modelIds, deps, { signal });
    if (flags.json) {
      io.out(
        JSON.stringify(
          {
            question: comparison.question,
            sources: comparison.sources.map((s) => ({
              n: s.n,
              path: s.chunk.path,
              startLine: s.chunk.startLine,
              endLine: s.chunk.endLine,
            })),
            variants: comparison.variants.map((v) => ({
              label: v.label,
              modelId: v.modelId,
              answer: v.answer,
              citations: v.citations.map((c) => ({ n: c.n, path: c.path, startLine: c.startLine, endLine: c.endLine })),
              usage: v.usage,
              costUsd: v.costUsd,
              latencyMs: v.latencyMs,
              ...(v.error ? { error: v.error } : {}),
            })),
            total: totalJson(comparison.total),
          },
          null,
          2,
        ) + '\n',
      );
      return comparison.variants.some((v) => v.error) ? 1 : 0;
    }
    for (const v of comparison.variants) {
      const cost = v.costUsd === null ? 'cost unknown' : `$${v.costUsd.toFixed(4)}`;
      io.out(
        `\n== ${v.label}: ${v.modelId} ==\n${v.error ? `error: ${v.error}` : v.answer}\n-- ${v.usage.inputTokens} in, ${v.usage.outputTokens} out · ${(v.latencyMs / 1000).toFixed(1)} s · ${cost}\n`,
      );
    }
    return comparison.variants.some((v) => v.error) ? 1 : 0;
  });
}
