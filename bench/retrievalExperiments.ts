/**
 * Full-text recall research (issue 14): `npx tsx bench/retrievalExperiments.ts [--data DIR]
 * [--only GROUP] [--json]`. Builds the product's BM25F `TextEngine` over the product's chunks
 * (read, never edited) and measures general levers on two question sets: the 100 aws-docs-qa
 * questions and a held-out set of 34 questions written for this research on other documents of
 * the same corpus (`test/unit/levers/fixtures/aws-heldout.jsonl`). Prints recall@5 and MRR per
 * variant with the change against the product's defaults. Research only: no test runs it.
 *
 * With 100 questions one question is 1 point of recall@5, and the spread from chance is about
 * +-5 points; on 34 questions +-8. Only a change that moves both sets the same way means much.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Chunk } from '../src/core/chunk';
import { formatBreadcrumb } from '../src/core/chunk';
import { buildEvalReport } from '../src/core/eval/evalReport';
import { parseEvalSet } from '../src/core/eval/evalSet';
import type { EvalItem } from '../src/core/eval/evalSet';
import { analyze } from '../src/core/index/analyzer';
import { isChangelogPath } from '../src/core/index/hybridIndex';
import { DEFAULT_BM25F, TextEngine } from '../src/core/index/textEngine';
import type { Bm25fParams, TextFields } from '../src/core/index/textEngine';
import { estimateBlurbs } from '../src/core/ingest/contextualBlurbs';
import { chunkDocument } from '../src/core/ingest/chunkDocument';
import { decideAnswerMode, estimateCorpusTokens } from '../src/core/rag/wholeCorpus';
import { defaultAwsDocsQaDir, loadMarkdownCorpus } from './lib/markdownCorpus';

type Searcher = (question: string) => Chunk[];
interface Scores {
  recall: number;
  mrr: number;
}
interface QuestionSet {
  name: string;
  items: EvalItem[];
}
interface Variant {
  group: string;
  name: string;
  make: () => Promise<Searcher>;
}

const DEPTH = 100;
const K = 5;

// ---- Corpus, engines, scoring -------------------------------------------------------------

const chunkCache = new Map<number, Promise<Chunk[]>>();
let corpusRoot = '';

function chunksAt(chunkTokens: number): Promise<Chunk[]> {
  let pending = chunkCache.get(chunkTokens);
  if (!pending) {
    pending = (async () => {
      const files = await loadMarkdownCorpus(corpusRoot);
      const out: Chunk[] = [];
      const encoder = new TextEncoder();
      for (const f of files)
        out.push(
          ...(await chunkDocument(
            { path: f.path, bytes: encoder.encode(f.text) },
            { chunkTokens, overlapTokens: Math.round((chunkTokens * 40) / 350) },
          )),
        );
      return out;
    })();
    chunkCache.set(chunkTokens, pending);
  }
  return pending;
}

/** The fields the product indexes for a chunk (oramaTextComponent.ts). */
function productFields(chunk: Chunk): TextFields {
  return { body: chunk.text, title: chunk.title, headings: chunk.breadcrumb.join(' \n '), path: chunk.path };
}

function params(over: Partial<Bm25fParams> = {}): Bm25fParams {
  return { ...DEFAULT_BM25F, ...over, weights: { ...DEFAULT_BM25F.weights, ...over.weights }, b: { ...DEFAULT_BM25F.b, ...over.b } };
}

async function engineOf(chunkTokens: number, p: Bm25fParams, fields = productFields): Promise<{ engine: TextEngine; chunks: Chunk[] }> {
  const chunks = await chunksAt(chunkTokens);
  const engine = new TextEngine(p);
  chunks.forEach((c, i) => engine.add(i, fields(c)));
  return { engine, chunks };
}

/** The product's ranking: BM25F hits, changelogs halved (HybridIndex), best first. */
function scoredHits(engine: TextEngine, chunks: Chunk[], query: string, depth = DEPTH): Array<{ chunk: Chunk; score: number; id: number }> {
  const hits = engine
    .search(query, depth)
    .map((h) => ({ chunk: chunks[h.docId]!, score: h.score * (isChangelogPath(chunks[h.docId]!.path) ? 0.5 : 1), id: h.docId }));
  return hits.sort((a, b) => b.score - a.score);
}

function score(set: QuestionSet, search: Searcher): Scores {
  const report = buildEvalReport(
    set.items.map((item) => ({ item, retrieved: search(item.question) })),
    { k: K },
  );
  return { recall: report.overall[`recall@${K}`] as number, mrr: report.overall.mrr as number };
}

// ---- Levers --------------------------------------------------------------------------------

/**
 * A small, generic table of the words users say and the words documentation uses: not drawn from
 * the eval questions (question words are stop words, so "how many" is otherwise lost entirely).
 */
const PHRASES: Array<[RegExp, string]> = [
  [/\bhow many\b/i, 'limit quota maximum number'],
  [/\bhow much\b/i, 'limit maximum size cost'],
  [/\bhow long\b/i, 'duration timeout period time'],
  [/\bhow (?:fast|quick)/i, 'performance latency throughput'],
];
const SYNONYMS: Record<string, string> = {
  maximum: 'limit quota',
  max: 'limit quota maximum',
  most: 'limit maximum',
  largest: 'limit maximum',
  biggest: 'limit maximum',
  highest: 'limit maximum',
  minimum: 'limit',
  least: 'minimum',
  smallest: 'minimum',
  delete: 'remove',
  remove: 'delete',
  erase: 'delete remove',
  destroy: 'delete',
  create: 'add',
  make: 'create',
  add: 'create',
  new: 'create',
  start: 'launch run',
  launch: 'start',
  stop: 'terminate',
  terminate: 'stop',
  kill: 'stop terminate',
  cost: 'pricing price',
  price: 'pricing cost',
  pay: 'pricing billing',
  charge: 'pricing billing',
  bill: 'billing pricing',
  fast: 'performance latency',
  slow: 'performance latency',
  speed: 'performance throughput',
  error: 'troubleshooting fail',
  fail: 'error troubleshooting',
  broken: 'error troubleshooting',
  change: 'modify update',
  modify: 'change update',
  update: 'modify change',
  edit: 'modify update',
  permission: 'access policy',
  allow: 'permission access',
  access: 'permission',
  copy: 'duplicate',
  move: 'migrate transfer',
  migrate: 'move',
  backup: 'snapshot',
  restore: 'recover',
  setup: 'configure',
  configure: 'setup settings',
  support: 'supported available',
  available: 'supported',
  encrypt: 'encryption',
  secure: 'security',
  login: 'authenticate sign',
  size: 'capacity storage',
};

/** Expansion terms of a question that it does not already contain (after analysis). */
export function synonymTerms(question: string): string {
  const own = new Set(analyze(question));
  const extra: string[] = [];
  for (const [re, words] of PHRASES) if (re.test(question)) extra.push(...words.split(' '));
  for (const word of question.toLowerCase().match(/[a-z]+/g) ?? []) {
    const syn = SYNONYMS[word];
    if (syn) extra.push(...syn.split(' '));
  }
  return [...new Set(extra)].filter((w) => !own.has(analyze(w)[0] ?? w)).join(' ');
}

/** Original plus `weight` x the expansion-only query: BM25 is a sum over terms, so this weights the added terms. */
function withSynonyms(engine: TextEngine, chunks: Chunk[], weight: number, pool = 100): Searcher {
  return (q) => {
    const extra = synonymTerms(q);
    const base = scoredHits(engine, chunks, q, pool);
    if (!extra) return base.slice(0, DEPTH).map((h) => h.chunk);
    const total = new Map<number, { chunk: Chunk; score: number }>();
    for (const h of base) total.set(h.id, { chunk: h.chunk, score: h.score });
    for (const h of scoredHits(engine, chunks, extra, pool)) {
      const entry = total.get(h.id) ?? { chunk: h.chunk, score: 0 };
      entry.score += weight * h.score;
      total.set(h.id, entry);
    }
    return [...total.values()]
      .sort((a, b) => b.score - a.score)
      .slice(0, DEPTH)
      .map((e) => e.chunk);
  };
}

/** Files ranked by their best chunk plus `rest` x the sum of their next two: "the document covers it". */
function fileAggregate(engine: TextEngine, chunks: Chunk[], rest: number): Searcher {
  return (q) => {
    const byFile = new Map<string, { chunk: Chunk; scores: number[] }>();
    for (const h of scoredHits(engine, chunks, q, 300)) {
      const entry = byFile.get(h.chunk.path) ?? { chunk: h.chunk, scores: [] };
      entry.scores.push(h.score);
      byFile.set(h.chunk.path, entry);
    }
    const ranked = [...byFile.values()].map((e) => ({
      chunk: e.chunk,
      score: e.scores[0]! + rest * ((e.scores[1] ?? 0) + (e.scores[2] ?? 0)),
    }));
    return ranked
      .sort((a, b) => b.score - a.score)
      .slice(0, DEPTH)
      .map((e) => e.chunk);
  };
}

/** Proximity re-scored outside the engine: query-adjacent pairs found within `window` positions. */
function proximityWindow(engine: TextEngine, chunks: Chunk[], window: number, weight: number, ordered: boolean): Searcher {
  const positions = new Map<number, Map<string, number[]>>();
  const termPositions = (id: number): Map<string, number[]> => {
    let map = positions.get(id);
    if (!map) {
      map = new Map();
      let offset = 0;
      // Headings and body are separate sequences, as in the engine: a gap keeps pairs from spanning them.
      for (const text of [formatBreadcrumb(chunks[id]!.breadcrumb), chunks[id]!.text]) {
        analyze(text).forEach((t, i) => map!.set(t, [...(map!.get(t) ?? []), offset + i]));
        offset += 100_000;
      }
      positions.set(id, map);
    }
    return map;
  };
  return (q) => {
    const terms = analyze(q);
    const hits = scoredHits(engine, chunks, q);
    for (const h of hits) {
      const pos = termPositions(h.id);
      for (let i = 0; i + 1 < terms.length; i++) {
        const a = pos.get(terms[i]!);
        const b = pos.get(terms[i + 1]!);
        if (!a || !b || terms[i] === terms[i + 1]) continue;
        const near = a.some((x) => b.some((y) => (ordered ? y - x >= 1 && y - x <= window : Math.abs(y - x) <= window && y !== x)));
        if (near) h.score += (weight * (engine.idf(terms[i]!) + engine.idf(terms[i + 1]!))) / 2;
      }
    }
    return hits.sort((a, b) => b.score - a.score).map((h) => h.chunk);
  };
}

const DOC_HISTORY = /(^|\/)(doc(ument)?[-_]?history|revision[-_]?history)\.[a-z]+$/i;

function variants(): Variant[] {
  const plain = (group: string, name: string, chunkTokens: number, over: Partial<Bm25fParams> = {}): Variant => ({
    group,
    name,
    make: async () => {
      const { engine, chunks } = await engineOf(chunkTokens, params(over));
      return (q) => scoredHits(engine, chunks, q).map((h) => h.chunk);
    },
  });
  const out: Variant[] = [plain('baseline', 'product defaults (350-token chunks)', 350)];
  for (const k1 of [0.9, 1.6, 2.0]) out.push(plain('bm25f', `k1 ${k1}`, 350, { k1 }));
  for (const b of [0.5, 0.9]) out.push(plain('bm25f', `body b ${b}`, 350, { b: { ...DEFAULT_BM25F.b, body: b } }));
  for (const w of [1, 3])
    out.push(plain('fields', `title+headings+path weight ${w}`, 350, { weights: { body: 1, title: w, headings: w, path: w } }));
  out.push(plain('fields', 'title 3, headings 2, path 1', 350, { weights: { body: 1, title: 3, headings: 2, path: 1 } }));
  out.push(plain('fields', 'title 1, headings 3, path 2', 350, { weights: { body: 1, title: 1, headings: 3, path: 2 } }));
  for (const d of [0.1, 0.5, 1]) out.push(plain('query', `maxDfRatio ${d}`, 350, { maxDfRatio: d }));
  for (const w of [0, 0.5, 2]) out.push(plain('proximity', `engine proximity weight ${w}`, 350, { proximityWeight: w }));
  for (const [window, ordered] of [
    [1, true],
    [2, true],
    [3, false],
    [5, false],
  ] as const) {
    out.push({
      group: 'proximity',
      name: `window ${window}${ordered ? ' ordered' : ' any order'} (replaces engine's)`,
      make: async () => {
        const { engine, chunks } = await engineOf(350, params({ proximityWeight: 0 }));
        return proximityWindow(engine, chunks, window, 1, ordered);
      },
    });
  }
  for (const size of [200, 500, 800]) out.push(plain('chunks', `${size}-token chunks`, size));
  for (const w of [0.15, 0.3, 0.5, 0.75, 1]) {
    out.push({
      group: 'synonyms',
      name: `generic synonyms at weight ${w}`,
      make: async () => {
        const { engine, chunks } = await engineOf(350, params());
        return withSynonyms(engine, chunks, w);
      },
    });
  }
  out.push({
    group: 'synonyms',
    name: 'generic synonyms at weight 0.5, 300 candidates a list',
    make: async () => {
      const { engine, chunks } = await engineOf(350, params());
      return withSynonyms(engine, chunks, 0.5, 300);
    },
  });
  for (const rest of [0.1, 0.3]) {
    out.push({
      group: 'documents',
      name: `file score = best + ${rest} x next two`,
      make: async () => {
        const { engine, chunks } = await engineOf(350, params());
        return fileAggregate(engine, chunks, rest);
      },
    });
  }
  out.push({
    group: 'documents',
    name: 'document-history pages halved like changelogs',
    make: async () => {
      const { engine, chunks } = await engineOf(350, params());
      return (q) =>
        scoredHits(engine, chunks, q)
          .map((h) => ({ ...h, score: DOC_HISTORY.test(h.chunk.path) ? h.score * 0.5 : h.score }))
          .sort((a, b) => b.score - a.score)
          .map((h) => h.chunk);
    },
  });
  return out;
}

// ---- Costs of the Bedrock levers on this corpus ---------------------------------------------

async function leverCosts(): Promise<string[]> {
  const chunks = await chunksAt(350);
  const byFile = new Map<string, Chunk[]>();
  for (const c of chunks) byFile.set(c.path, [...(byFile.get(c.path) ?? []), c]);
  const files = [...byFile].map(([path, list]) => ({ path, chunks: list }));
  const lines = [
    `corpus: ${files.length} files, ${chunks.length} chunks, ${estimateCorpusTokens(chunks).toLocaleString('en-US')} tokens as a whole-corpus prompt`,
  ];
  for (const modelId of ['us.amazon.nova-micro-v1:0', 'global.anthropic.claude-haiku-4-5-20251001-v1:0']) {
    const e = estimateBlurbs(files, { modelId });
    const cached = estimateBlurbs(files, { modelId, caching: false });
    lines.push(
      `blurbs with ${modelId}: ${e.calls} calls over ${e.documents} documents, ${(e.usage.inputTokens / 1e6).toFixed(1)}M input + ${(e.usage.cacheReadInputTokens / 1e6).toFixed(1)}M cache-read + ${(e.usage.cacheWriteInputTokens / 1e6).toFixed(1)}M cache-write tokens: $${e.usd?.toFixed(2)} (without caching $${cached.usd?.toFixed(2)})`,
    );
  }
  const d = decideAnswerMode({
    setting: 'auto',
    corpusTokens: estimateCorpusTokens(chunks),
    modelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    maxOutputTokens: 2048,
  });
  lines.push(`whole corpus: ${d.reason}`);
  return lines;
}

// ---- Main ----------------------------------------------------------------------------------

async function loadSet(name: string, path: string): Promise<QuestionSet> {
  return { name, items: parseEvalSet(await readFile(path, 'utf8'), path) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, only: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const repo = resolve(__dirname, '..');
  const data = values.data ? resolve(values.data) : defaultAwsDocsQaDir(repo);
  corpusRoot = join(data, 'corpus');
  if (!existsSync(corpusRoot)) throw new Error(`${corpusRoot} not found: pass --data DIR holding questions.jsonl and corpus/`);
  const sets = [
    await loadSet('aws-docs-qa', join(data, 'questions.jsonl')),
    await loadSet('held-out', join(repo, 'test/unit/levers/fixtures/aws-heldout.jsonl')),
  ];
  const rows: Array<{ group: string; name: string; scores: Scores[] }> = [];
  const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
  const delta = (x: number, base: number) => `${x - base >= 0 ? '+' : ''}${(100 * (x - base)).toFixed(1)}`.padStart(6);
  if (!values.json) console.log(`${'variant'.padEnd(58)} ${sets.map((s) => `${s.name.padEnd(10)} R@5   dR   MRR   dMRR`).join(' | ')}`);
  for (const v of variants()) {
    if (values.only && v.group !== values.only && v.group !== 'baseline') continue;
    const search = await v.make();
    const scores = sets.map((s) => score(s, search));
    rows.push({ group: v.group, name: v.name, scores });
    const base = rows[0]!.scores;
    if (!values.json) {
      console.log(
        `${`[${v.group}] ${v.name}`.padEnd(58)} ${scores.map((s, i) => `${''.padEnd(10)}${pct(s.recall)}${delta(s.recall, base[i]!.recall)} ${pct(s.mrr)}${delta(s.mrr, base[i]!.mrr)}`).join(' | ')}`,
      );
    }
  }
  const costs = values.only ? [] : await leverCosts();
  if (values.json)
    console.log(JSON.stringify({ k: K, sets: sets.map((s) => ({ name: s.name, questions: s.items.length })), rows, costs }, null, 2));
  else for (const line of costs) console.log(line);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exitCode = 1;
  });
}
