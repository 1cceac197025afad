/**
 * ApplyGuardrail for the fake Bedrock: validates the request shape and answers NONE, or the
 * scripted GUARDRAIL_INTERVENED verdict.
 */
import type { WireError } from './wireErrors';

/** A verdict queued with `fake.script.guardrail(...)` for the next ApplyGuardrail call. */
export interface GuardrailScript {
  action: 'GUARDRAIL_INTERVENED' | 'NONE';
  /** Replacement texts (the blocked message) when intervening. */
  outputs?: string[];
  actionReason?: string;
  assessments?: unknown[];
}

interface ApplyGuardrailBody {
  source?: unknown;
  content?: Array<{ text?: { text?: unknown } }>;
  outputScope?: unknown;
}

/** Answers ApplyGuardrail, or says why the request is invalid. */
export function applyGuardrail(
  guardrailId: string,
  version: string,
  body: unknown,
  scripted: GuardrailScript | undefined,
): { json: Record<string, unknown> } | { error: WireError } {
  const b = (body ?? {}) as ApplyGuardrailBody;
  if (!/^(DRAFT|[1-9][0-9]{0,7})$/.test(version)) {
    return {
      error: {
        type: 'ValidationException',
        message: `1 validation error detected: Value '${version}' at 'guardrailVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (([1-9][0-9]{0,7})|(DRAFT))`,
      },
    };
  }
  if (b.source !== 'INPUT' && b.source !== 'OUTPUT') {
    return {
      error: {
        type: 'ValidationException',
        message: `1 validation error detected: Value '${String(b.source)}' at 'source' failed to satisfy constraint: Member must satisfy enum value set: [INPUT, OUTPUT]`,
      },
    };
  }
  if (!Array.isArray(b.content) || b.content.length === 0 || b.content.some((c) => typeof c?.text?.text !== 'string')) {
    return { error: { type: 'ValidationException', message: 'The content field must hold at least one {text: {text}} block.' } };
  }
  const units = b.content.reduce((sum, c) => sum + Math.max(1, Math.ceil(String(c.text?.text).length / 1000)), 0);
  const action = scripted?.action ?? 'NONE';
  const json: Record<string, unknown> = {
    usage: {
      topicPolicyUnits: units,
      contentPolicyUnits: units,
      wordPolicyUnits: units,
      sensitiveInformationPolicyUnits: units,
      sensitiveInformationPolicyFreeUnits: 0,
      contextualGroundingPolicyUnits: 0,
    },
    action,
    outputs: action === 'GUARDRAIL_INTERVENED' ? (scripted?.outputs ?? ['Sorry, I cannot help with that.']).map((text) => ({ text })) : [],
    assessments:
      scripted?.assessments ??
      (action === 'GUARDRAIL_INTERVENED'
        ? [
            {
              contentPolicy: {
                filters: [{ type: 'MISCONDUCT', confidence: 'HIGH', filterStrength: 'HIGH', action: 'BLOCKED', detected: true }],
              },
            },
          ]
        : [{}]),
  };
  if (action === 'GUARDRAIL_INTERVENED')
    json.actionReason = scripted?.actionReason ?? `Guardrail ${guardrailId} blocked the ${b.source === 'INPUT' ? 'input' : 'output'}.`;
  return { json };
}
