/** Bedrock Runtime's and Agent Runtime's REST routes as the fake serves them (ids URL-encoded in the path). */
import type { AnyRequest } from './dualProtocolServer';
import type { FakeOperation } from './faults';

/** Which operation a request path names, with its decoded model id or guardrail. */
export interface Route {
  operation: FakeOperation;
  modelId?: string;
  guardrail?: { id: string; version: string };
  /** Agent runtime Retrieve: the Knowledge Base ID from the path. */
  knowledgeBaseId?: string;
}

/** Parses `POST /model/{id}/converse|converse-stream|invoke`, `/guardrail/{id}/version/{v}/apply`, `/knowledgebases/{id}/retrieve` and `/rerank`. */
export function parseRoute(method: string, target: string): Route | undefined {
  if (method !== 'POST') return undefined;
  const path = target.split('?')[0] ?? '';
  const model = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(path);
  if (model) {
    const op = { converse: 'Converse', 'converse-stream': 'ConverseStream', invoke: 'InvokeModel' } as const;
    return { operation: op[model[2] as keyof typeof op], modelId: decodeURIComponent(model[1] as string) };
  }
  const guard = /^\/guardrail\/([^/]+)\/version\/([^/]+)\/apply$/.exec(path);
  if (guard)
    return {
      operation: 'ApplyGuardrail',
      guardrail: { id: decodeURIComponent(guard[1] as string), version: decodeURIComponent(guard[2] as string) },
    };
  const kb = /^\/knowledgebases\/([^/]+)\/retrieve$/.exec(path);
  if (kb) return { operation: 'Retrieve', knowledgeBaseId: decodeURIComponent(kb[1] as string) };
  if (path === '/rerank') return { operation: 'Rerank' };
  return undefined;
}

/** Header map with lower-case names and repeated values joined by ', '. */
export function flatHeaders(raw: AnyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}
