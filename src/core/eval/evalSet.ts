/**
 * The eval set format: JSONL, one question a line, `{question, relevant, reference_answer?, id?,
 * yes_no_none?}`; `relevant` holds paths relative to the eval set's docs root, or `path#heading`.
 */
import { BedrockDocsError } from '../errors';
import { parseYesNoLabel } from './yesNo';
import type { YesNoLabel } from './yesNo';

/** One question of an eval set, validated. */
export interface EvalItem {
  /** As given, else `line-<n>`; unique within the set. */
  id: string;
  question: string;
  /** Paths (or `path#heading`) that answer the question; at least one. */
  relevant: string[];
  referenceAnswer?: string;
  yesNoNone?: YesNoLabel;
  /** 1-based line in the JSONL text, for messages. */
  line: number;
}

const HINT = 'Fix the eval set: one JSON object a line, with "question" (string) and "relevant" (non-empty array of paths).';
const MAX_LISTED = 10;

function problemOf(value: unknown): string | { item: Omit<EvalItem, 'line' | 'id'>; id?: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object';
  const o = value as Record<string, unknown>;
  if (typeof o.question !== 'string' || !o.question.trim()) return 'missing "question" (a non-empty string)';
  if (!Array.isArray(o.relevant) || o.relevant.length === 0) return 'missing "relevant" (a non-empty array of paths)';
  if (!o.relevant.every((r) => typeof r === 'string' && r.trim() !== '')) return '"relevant" must hold non-empty strings';
  if (o.reference_answer !== undefined && o.reference_answer !== null && typeof o.reference_answer !== 'string') {
    return '"reference_answer" must be a string';
  }
  if (o.id !== undefined && o.id !== null && typeof o.id !== 'string' && typeof o.id !== 'number')
    return '"id" must be a string or a number';
  let yesNoNone: YesNoLabel | undefined;
  if (o.yes_no_none !== undefined && o.yes_no_none !== null) {
    yesNoNone = typeof o.yes_no_none === 'string' ? parseYesNoLabel(o.yes_no_none) : undefined;
    if (!yesNoNone) return '"yes_no_none" must be "Yes", "No" or "None"';
  }
  const item: Omit<EvalItem, 'line' | 'id'> = { question: o.question.trim(), relevant: (o.relevant as string[]).map((r) => r.trim()) };
  if (typeof o.reference_answer === 'string') item.referenceAnswer = o.reference_answer;
  if (yesNoNone) item.yesNoNone = yesNoNone;
  return o.id === undefined || o.id === null ? { item } : { item, id: String(o.id) };
}

/**
 * Parses an eval set. Blank lines are skipped; every malformed line is reported at once, by line
 * number, in one BAD_INPUT error (unknown fields are ignored).
 * @param source a name for messages, e.g. the file's path
 */
export function parseEvalSet(text: string, source = 'eval set'): EvalItem[] {
  const items: EvalItem[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push(`line ${line}: not valid JSON (${(err as Error).message})`);
      return;
    }
    const result = problemOf(value);
    if (typeof result === 'string') {
      problems.push(`line ${line}: ${result}`);
      return;
    }
    const id = result.id ?? `line-${line}`;
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      problems.push(`line ${line}: id "${id}" already used on line ${earlier}`);
      return;
    }
    seen.set(id, line);
    items.push({ id, ...result.item, line });
  });
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    throw new BedrockDocsError('BAD_INPUT', `${source}: ${listed}${more}`, HINT);
  }
  if (items.length === 0) throw new BedrockDocsError('BAD_INPUT', `${source}: no questions`, HINT);
  return items;
}
