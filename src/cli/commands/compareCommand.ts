import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compareOnEvalSet } from '../../core/compare/compareEval';
import type { CompareDeps, CompareVariant } from '../../core/compare/compareModels';
import { compareModels } from '../../core/compare/compareModels';
import { parseEvalSet } from '../../core/eval/evalSet';
import { formatOverallTable, overallKeys } from '../../core/eval/formatEvalTable';
import { BedrockDocsError } from '../../core/errors';
import type { SearchMode } from '../../core/index/hybridIndex';
import { parseQuery } from '../../core/index/searchFilter';
import { lookupModel } from '../../core/models/catalog';
import { askRequestFromSettings, inferenceFromSettings, modelOverridesFromSettings } from '../../core/rag/askRequest';
import { costOfUsage } from '../../core/usage/cost';
import type { CliIo, SessionFlags } from '../cliSession';
import { openSession, restoreAndSync } from '../cliSession';

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
  const session = await openSession(flags, io);
  try {
    await restoreAndSync(session, io, signal);
    const { settings } = session;
    const overrides = modelOverridesFromSettings(settings);
    const variants: CompareVariant[] = modelIds.map((modelId, i) => ({
      label: String.fromCharCode(65 + i),
      modelId,
      inference: inferenceFromSettings(settings),
      samplingTopK: settings['chat.topK'],
    }));
    const deps: CompareDeps = {
      retriever: session.retriever,
      chat: session.services.chat,
      logger: session.logger,
      outgoingText: session.outgoing,
      costOf: (modelId, usage) => costOfUsage(usage, lookupModel(modelId, overrides).prices),
    };
    const base = askRequestFromSettings(settings, question ?? '', { k: flags.k, mode: flags.mode });
    if (flags.evalFile) {
      const items = parseEvalSet(await readFile(resolve(flags.evalFile), 'utf8'), flags.evalFile);
      const k = flags.k ?? 5;
      const result = await compareOnEvalSet(items, variants, deps, { k, retrieval: base.retrieval, signal });
      if (flags.json) {
        io.out(
          JSON.stringify(
            { k: result.k, variants: result.variants.map((v) => ({ label: v.label, modelId: v.modelId, overall: v.report.overall })) },
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
    const { text, filter } = parseQuery(question!);
    const comparison = await compareModels(text, variants, deps, {
      retrieval: { ...base.retrieval, filter },
      signal,
      ...(base.guardrail ? { guardrail: base.guardrail } : {}),
    });
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
  } finally {
    session.dispose();
  }
}
