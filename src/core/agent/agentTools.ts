/**
 * Agent mode's three read-only tools: their specs as sent to the model (JSON Schema derived from
 * the zod schemas that check the model's input), and their execution. A tool never throws at the
 * loop (except a cancel): every failure becomes an error result the model can read and act on.
 */
import * as z from 'zod';
import type { Chunk } from '../chunk';
import { describeError, isCancellation } from '../errors';
import type { SearchFilter } from '../index/searchFilter';
import { normalizePrefix } from '../index/searchFilter';
import type { ToolSpec, UsageTally } from '../ports';
import type { AskRequest, Retriever } from '../rag/ask';
import type { Source } from '../rag/prompt';
import { formatSources } from '../rag/prompt';
import type { DocReader } from './docReader';
import type { SourceLedger } from './sourceLedger';
import { excerptChunk } from './sourceLedger';

const FILE_TYPES = ['markdown', 'text', 'rst', 'asciidoc', 'html', 'pdf'] as const;

const searchInput = z.object({
  query: z.string().min(1).max(2000).describe('What to look for, in words likely to appear in the docs.'),
  filters: z.optional(
    z.object({
      path: z.optional(
        z
          .string()
          .min(1)
          .max(1024)
          .describe('Only passages under this folder ("guide") or in this file ("guide/setup.md"), relative to the workspace.'),
      ),
      glob: z.optional(
        z.string().min(1).max(512).describe('Only passages of files whose relative path matches this glob, e.g. "guide/**/*.md".'),
      ),
      fileTypes: z.optional(z.array(z.enum(FILE_TYPES)).describe('Only passages of these document types.')),
    }),
  ),
});

const readInput = z.object({
  path: z.string().min(1).max(1024).describe('Document path relative to the workspace, as search_docs and list_docs show it.'),
  startLine: z.int().min(1).describe('First line to read, 1-based.'),
  endLine: z.int().min(1).describe('Last line to read, inclusive.'),
});

const listInput = z.object({
  glob: z.string().min(1).max(512).describe('Glob over relative paths, e.g. "**/*.md" or "guide/**".'),
});

const SCHEMAS = { search_docs: searchInput, read_doc: readInput, list_docs: listInput } as const;

/** Names of the agent's tools. */
export type AgentToolName = keyof typeof SCHEMAS;

const DESCRIPTIONS: Record<AgentToolName, string> = {
  search_docs: 'Search the indexed documentation. Returns the best-matching passages, each numbered as a source you can cite as [n].',
  read_doc:
    'Read a range of lines of one document (to see the context of a passage, or a whole short section). The lines come back as a numbered source you can cite as [n].',
  list_docs: 'List the paths of indexed documents that match a glob.',
};

function inputSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema) as Record<string, unknown>;
  return json;
}

/** The tool specs sent with every agent turn. */
export const AGENT_TOOLS: ToolSpec[] = (Object.keys(SCHEMAS) as AgentToolName[]).map((name) => ({
  name,
  description: DESCRIPTIONS[name],
  inputSchema: inputSchema(SCHEMAS[name]),
}));

/** What a tool call produced: the text sent back as its toolResult, and the sources it numbered. */
export interface ToolOutcome {
  status: 'success' | 'error';
  text: string;
  /** Numbers of the sources this result showed (new or earlier ones). */
  sources: number[];
}

/** What tools run against. */
export interface ToolContext {
  retriever: Retriever;
  reader: DocReader;
  ledger: SourceLedger;
  /** The question's retrieval settings; its filter is the user's scope, which the model's filters only narrow. */
  retrieval: AskRequest['retrieval'];
  /** Cap on one result's text, characters. */
  maxResultChars: number;
  /** Most paths list_docs returns. */
  listLimit: number;
  signal?: AbortSignal;
  /** The question's tally (query embeddings of searches count toward it). */
  tally?: UsageTally;
}

const error = (text: string): ToolOutcome => ({ status: 'error', text, sources: [] });

function issuesOf(result: z.ZodSafeParseError<unknown>): string {
  return result.error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Runs one tool call; throws only when the signal aborts. */
export async function executeTool(name: string, input: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  if (!(name in SCHEMAS)) return error(`Unknown tool "${name}". The tools are search_docs, read_doc and list_docs.`);
  const tool = name as AgentToolName;
  const parsed = SCHEMAS[tool].safeParse(input);
  if (!parsed.success) return error(`Invalid input for ${tool}: ${issuesOf(parsed)}.`);
  try {
    if (tool === 'search_docs') return await searchDocs(parsed.data as z.infer<typeof searchInput>, ctx);
    if (tool === 'read_doc') return await readDoc(parsed.data as z.infer<typeof readInput>, ctx);
    return await listDocs(parsed.data as z.infer<typeof listInput>, ctx);
  } catch (err) {
    if (isCancellation(err) || ctx.signal?.aborted) throw err;
    return error(`${tool} failed: ${describeError(err)}`);
  }
}

/** The user's scope, narrowed by the model's filters (never widened). */
export function narrowFilter(scope: SearchFilter | undefined, filters: z.infer<typeof searchInput>['filters']): SearchFilter | undefined {
  if (!filters) return scope;
  const out: SearchFilter = { ...scope };
  if (filters.path) {
    const path = normalizePrefix(filters.path);
    const within = !scope?.pathPrefix || path === scope.pathPrefix || path.startsWith(`${scope.pathPrefix}/`);
    if (path && within) out.pathPrefix = path;
  }
  if (filters.glob && !scope?.glob) out.glob = filters.glob;
  if (filters.fileTypes?.length) {
    const wanted = filters.fileTypes;
    out.fileTypes = scope?.fileTypes?.length ? scope.fileTypes.filter((t) => wanted.includes(t)) : [...wanted];
  }
  return out;
}

const location = (chunk: Chunk) => `${chunk.path}:${chunk.page ? `page ${chunk.page}` : `${chunk.startLine}-${chunk.endLine}`}`;

async function searchDocs(input: z.infer<typeof searchInput>, ctx: ToolContext): Promise<ToolOutcome> {
  const query = input.query.trim();
  if (!query) return error('Invalid input for search_docs: query is blank.');
  const { k, mode, scoreThreshold } = ctx.retrieval;
  const filter = narrowFilter(ctx.retrieval.filter, input.filters);
  const hits = await ctx.retriever.retrieve(query, { k, mode, filter, scoreThreshold, signal: ctx.signal, tally: ctx.tally });
  if (hits.length === 0)
    return { status: 'success', text: 'No passages match this query. Try other words, or other filters.', sources: [] };
  const fresh: Source[] = [];
  const earlier: Source[] = [];
  let used = 0;
  let omitted = 0;
  for (const { chunk } of hits) {
    const known = ctx.ledger.find(chunk);
    if (known) {
      earlier.push(known);
      continue;
    }
    const size = formatSources([{ n: ctx.ledger.nextNumber, chunk }]).length;
    // Whole passages or none: a number the model sees always maps to exactly the lines it saw.
    if (fresh.length > 0 && used + size > ctx.maxResultChars) {
      omitted++;
      continue;
    }
    used += size;
    fresh.push(ctx.ledger.add(chunk).source);
  }
  const parts: string[] = [];
  if (fresh.length > 0) parts.push(formatSources(fresh));
  if (earlier.length > 0) parts.push(`Also matching, shown earlier: ${earlier.map((s) => `[${s.n}] ${location(s.chunk)}`).join(', ')}.`);
  if (omitted > 0)
    parts.push(
      `${omitted} more passage${omitted === 1 ? '' : 's'} left out to keep this result short: narrow the query, or read_doc a range.`,
    );
  return { status: 'success', text: parts.join('\n'), sources: [...fresh, ...earlier].map((s) => s.n) };
}

async function readDoc(input: z.infer<typeof readInput>, ctx: ToolContext): Promise<ToolOutcome> {
  if (input.endLine < input.startLine)
    return error(`Invalid input for read_doc: endLine (${input.endLine}) is before startLine (${input.startLine}).`);
  // Leave room for the <source> wrapper and the note after it.
  const maxChars = Math.max(200, ctx.maxResultChars - 400);
  const excerpt = await ctx.reader.read(input.path, { startLine: input.startLine, endLine: input.endLine, maxChars, signal: ctx.signal });
  const { source, fresh } = ctx.ledger.add(excerptChunk(excerpt));
  const range = `lines ${excerpt.startLine}-${excerpt.endLine} of ${excerpt.totalLines}`;
  if (!fresh)
    return {
      status: 'success',
      text: `These lines are source [${source.n}] (${excerpt.path}, ${range}), shown earlier.`,
      sources: [source.n],
    };
  let note = `Returned ${range}.`;
  if (excerpt.endLine < excerpt.totalLines && excerpt.endLine < input.endLine)
    note = `Returned ${range}: the range was cut to the size limit; read on from line ${excerpt.endLine + 1} if needed.`;
  else if (excerpt.clamped) note = `Returned ${range}: the document ends there.`;
  return { status: 'success', text: `${formatSources([source])}\n${note}`, sources: [source.n] };
}

async function listDocs(input: z.infer<typeof listInput>, ctx: ToolContext): Promise<ToolOutcome> {
  const listing = await ctx.reader.list(input.glob, { limit: ctx.listLimit, signal: ctx.signal });
  if (listing.total === 0) return { status: 'success', text: `No indexed documents match "${input.glob}".`, sources: [] };
  const more = listing.total > listing.paths.length ? ` (showing the first ${listing.paths.length}: use a narrower glob)` : '';
  return {
    status: 'success',
    text: `${listing.total} document${listing.total === 1 ? '' : 's'} match${more}:\n${listing.paths.join('\n')}`,
    sources: [],
  };
}
