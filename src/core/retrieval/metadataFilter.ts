/**
 * The Knowledge Base metadata filter (`RetrievalFilter` of the agent runtime), written by the user
 * as JSON in settings, checked here so a typo is reported by name instead of as a service error.
 * Spec: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_agent-runtime_RetrievalFilter.html
 */
import { BedrockDocsError } from '../errors';

/** A JSON value, as the SDK's document type accepts it. */
export type FilterValue = string | number | boolean | null | FilterValue[] | { [key: string]: FilterValue };

/** `{key, value}`: the metadata attribute and the value it is compared with. */
export interface FilterAttribute {
  key: string;
  value: FilterValue;
}

/** Operators that compare one attribute. */
export const ATTRIBUTE_OPERATORS = [
  'equals',
  'notEquals',
  'greaterThan',
  'greaterThanOrEquals',
  'lessThan',
  'lessThanOrEquals',
  'in',
  'notIn',
  'startsWith',
  'listContains',
  'stringContains',
] as const;

/** One of ATTRIBUTE_OPERATORS. */
export type AttributeOperator = (typeof ATTRIBUTE_OPERATORS)[number];

/** A union on the wire: exactly one operator, or `andAll`/`orAll` of at least two filters. */
export type RetrievalFilter =
  | { [K in AttributeOperator]: { [P in K]: FilterAttribute } }[AttributeOperator]
  | { andAll: RetrievalFilter[] }
  | { orAll: RetrievalFilter[] };

const MAX_KEY = 100;
const MAX_DEPTH = 5;
const NUMERIC = new Set<string>(['greaterThan', 'greaterThanOrEquals', 'lessThan', 'lessThanOrEquals']);
const LISTS = new Set<string>(['in', 'notIn']);
const STRINGS = new Set<string>(['startsWith', 'stringContains']);

const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** The first problem of a filter object, as "where: what", or undefined when it is well formed. */
export function filterProblem(filter: unknown, where = 'filter', depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return `${where}: nested deeper than ${MAX_DEPTH} levels`;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter))
    return `${where}: expected an object such as {"equals": {"key": "team", "value": "docs"}}`;
  const keys = Object.keys(filter);
  if (keys.length !== 1) return `${where}: expected exactly one operator, found ${keys.length === 0 ? 'none' : keys.join(', ')}`;
  const op = keys[0] as string;
  const body = (filter as Record<string, unknown>)[op];
  if (op === 'andAll' || op === 'orAll') {
    if (!Array.isArray(body) || body.length < 2) return `${where}.${op}: expected a list of at least two filters`;
    for (let i = 0; i < body.length; i++) {
      const problem = filterProblem(body[i], `${where}.${op}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!(ATTRIBUTE_OPERATORS as readonly string[]).includes(op))
    return `${where}: unknown operator "${op}" (expected one of ${[...ATTRIBUTE_OPERATORS, 'andAll', 'orAll'].join(', ')})`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return `${where}.${op}: expected {"key": ..., "value": ...}`;
  const { key, value } = body as { key?: unknown; value?: unknown };
  if (typeof key !== 'string' || key === '' || key.length > MAX_KEY)
    return `${where}.${op}.key: expected a metadata attribute name of 1-${MAX_KEY} characters`;
  if (value === undefined) return `${where}.${op}.value: missing`;
  if (NUMERIC.has(op) && typeof value !== 'number') return `${where}.${op}.value: expected a number`;
  if (STRINGS.has(op) && typeof value !== 'string') return `${where}.${op}.value: expected a string`;
  if (LISTS.has(op) && (!Array.isArray(value) || value.length === 0 || !value.every(isScalar)))
    return `${where}.${op}.value: expected a non-empty list of strings or numbers`;
  if (!LISTS.has(op) && !isScalar(value)) return `${where}.${op}.value: expected a string, number or boolean`;
  return undefined;
}

/** Settings check: '' is "no filter"; otherwise the JSON must parse and be a well-formed filter. */
export function checkMetadataFilter(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    return `is not JSON (${(err as Error).message})`;
  }
  return filterProblem(parsed);
}

/** Parses the setting's JSON into a filter; '' gives undefined. Throws BAD_SETTING naming the problem. */
export function parseMetadataFilter(value: string, setting = 'bedrockDocs.knowledgeBase.filter'): RetrievalFilter | undefined {
  if (value.trim() === '') return undefined;
  const problem = checkMetadataFilter(value);
  if (problem) {
    throw new BedrockDocsError(
      'BAD_SETTING',
      `${setting} ${problem.startsWith('is not') ? problem : `is not a valid metadata filter: ${problem}`}.`,
      `Fix ${setting}, e.g. {"andAll": [{"equals": {"key": "team", "value": "docs"}}, {"greaterThan": {"key": "year", "value": 2023}}]}, or leave it empty.`,
    );
  }
  return JSON.parse(value) as RetrievalFilter;
}
