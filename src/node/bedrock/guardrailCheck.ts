/**
 * The GuardrailChecker port on Bedrock's ApplyGuardrail (Check Text with Guardrail, and the
 * contextual grounding check): plain data in, plain data out; the SDK's types stay here.
 * API: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ApplyGuardrail.html
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ApplyGuardrailCommand } from '@aws-sdk/client-bedrock-runtime';
import type { GuardrailChecker, GuardrailConfig, GuardrailContent, GuardrailResponse, MeteredCallOptions } from '../../core/ports';
import type { BedrockErrorContext } from './mapBedrockError';
import { mapBedrockError } from './mapBedrockError';

/** ApplyGuardrail on one runtime client (wrap it with meterGuardrail before handing it out). */
export class BedrockGuardrailChecker implements GuardrailChecker {
  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly context: BedrockErrorContext = {},
  ) {}

  async apply(
    input: { guardrail: GuardrailConfig; source: 'INPUT' | 'OUTPUT'; content: GuardrailContent[] },
    options: MeteredCallOptions,
  ): Promise<GuardrailResponse> {
    try {
      const response = await this.client.send(
        new ApplyGuardrailCommand({
          guardrailIdentifier: input.guardrail.guardrailIdentifier,
          guardrailVersion: input.guardrail.guardrailVersion,
          source: input.source,
          content: input.content.map((c) => ({ text: { text: c.text, ...(c.qualifiers?.length ? { qualifiers: c.qualifiers } : {}) } })),
        }),
        { abortSignal: options.signal },
      );
      const usage = response.usage
        ? Object.fromEntries(Object.entries(response.usage).filter((e): e is [string, number] => typeof e[1] === 'number'))
        : undefined;
      return {
        action: response.action ?? 'NONE',
        ...(response.actionReason ? { actionReason: response.actionReason } : {}),
        outputs: (response.outputs ?? []).map((o) => o.text ?? ''),
        assessments: response.assessments ?? [],
        ...(usage ? { usage } : {}),
      };
    } catch (err) {
      throw mapBedrockError(err, { ...this.context, operation: 'ApplyGuardrail', signal: options.signal });
    }
  }
}
