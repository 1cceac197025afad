/**
 * Turns retrieved hits, the question and the conversation into the Converse request parts: what
 * fits the model's window (context budget), redacted, numbered, and laid out with cache points
 * after the stable prefix for models that cache.
 */
import type { SearchHit } from '../index/hybridIndex';
import type { ModelInfo } from '../models/catalog';
import type { ChatMessage, ChatRequest, ToolSpec } from '../ports';
import { layoutPrompt } from './cachePoints';
import type { PromptLayout } from './cachePoints';
import type { ContextBudgetReport } from './contextBudget';
import { planContext } from './contextBudget';
import type { Source } from './prompt';
import { formatQuestion, formatSource, formatSources } from './prompt';

export interface BuiltPrompt {
  /** The sources kept, renumbered 1..n in rank order. */
  sources: Source[];
  system: NonNullable<ChatRequest['system']>;
  messages: ChatMessage[];
  cacheTools: boolean;
  cachePoints: PromptLayout['cachePoints'];
  contextBudget: ContextBudgetReport;
  /** False when even the system prompt and the question exceed the window. */
  fits: boolean;
  budgetTokens: number;
}

export interface BuildPromptInput {
  system: string;
  question: string;
  hits: readonly SearchHit[];
  history: readonly ChatMessage[];
  model: ModelInfo;
  maxOutputTokens: number;
  promptCaching: boolean;
  tools?: readonly ToolSpec[];
}

export function buildPrompt(input: BuildPromptInput): BuiltPrompt {
  const questionBlock = formatQuestion(input.question);
  const history = input.history;
  // Numbers are provisional while budgeting: the kept sources are renumbered in rank order after.
  const candidates = input.hits.map((hit, i) => ({
    item: hit,
    score: hit.score,
    text: formatSource({ n: i + 1, chunk: hit.chunk }),
  }));
  const plan = planContext({
    windowTokens: input.model.contextWindow,
    maxOutputTokens: input.maxOutputTokens,
    system: input.system,
    question: questionBlock,
    sources: candidates,
    history,
    toolsTokens: input.tools?.length ? JSON.stringify(input.tools).length / 4 : 0,
  });
  const sources: Source[] = plan.sources.map((hit, i) => ({ n: i + 1, chunk: hit.chunk }));
  const layout = layoutPrompt({
    system: input.system,
    sourcesBlock: sources.length ? formatSources(sources) : '',
    questionBlock,
    history: plan.history,
    tools: input.tools,
    caching: input.model.caching ?? null,
    enabled: input.promptCaching,
  });
  return {
    sources,
    system: layout.system,
    messages: layout.messages,
    cacheTools: layout.cacheTools,
    cachePoints: layout.cachePoints,
    contextBudget: plan.report,
    fits: plan.fits,
    budgetTokens: plan.budgetTokens,
  };
}
