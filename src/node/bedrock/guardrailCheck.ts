/** Checks a text against a Bedrock Guardrail with ApplyGuardrail (the "Check Text with Guardrail" command). */
import { ApplyGuardrailCommand } from '@aws-sdk/client-bedrock-runtime';
import type { GuardrailConfig } from '../../core/ports';
import type { GuardrailSummary } from '../../core/safety/guardrailTrace';
import { summarizeApplyGuardrail } from '../../core/safety/guardrailTrace';
import type { BedrockConnection } from './bedrockClient';
import { mapBedrockError } from './mapBedrockError';

export async function applyGuardrail(
  connection: BedrockConnection,
  guardrail: GuardrailConfig,
  text: string,
  source: 'INPUT' | 'OUTPUT',
  signal?: AbortSignal,
): Promise<GuardrailSummary & { outputText?: string }> {
  try {
    const response = await connection.client.send(
      new ApplyGuardrailCommand({
        guardrailIdentifier: guardrail.guardrailIdentifier,
        guardrailVersion: guardrail.guardrailVersion,
        source,
        content: [{ text: { text } }],
      }),
      { abortSignal: signal },
    );
    const outputText = response.outputs?.map((o) => o.text ?? '').join('') || undefined;
    return { ...summarizeApplyGuardrail(response, source), ...(outputText ? { outputText } : {}) };
  } catch (err) {
    throw mapBedrockError(err, { ...connection.context, signal });
  }
}
