import assert from 'node:assert/strict';
import { summarizeApplyGuardrail, summarizeGuardrailTrace } from '../../../src/core/safety/guardrailTrace';
import { guardrailSchema } from '../../../src/protocol/conversation';

// Shapes as Bedrock Runtime returns them (ConverseTrace.guardrail, GuardrailAssessment,
// ApplyGuardrailResponse), with trace "enabled_full" where filters that did not fire are listed too.
const GUARDRAIL = 'gr7x2k9q1abc';

const violentQuestion = {
  guardrail: {
    inputAssessment: {
      [GUARDRAIL]: {
        contentPolicy: {
          filters: [
            { type: 'VIOLENCE', confidence: 'HIGH', filterStrength: 'HIGH', action: 'BLOCKED', detected: true },
            { type: 'HATE', confidence: 'NONE', filterStrength: 'MEDIUM', action: 'NONE', detected: false },
            { type: 'INSULTS', confidence: 'LOW', filterStrength: 'HIGH', action: 'NONE', detected: false },
          ],
        },
        invocationMetrics: {
          guardrailProcessingLatency: 212,
          usage: {
            topicPolicyUnits: 1,
            contentPolicyUnits: 1,
            wordPolicyUnits: 0,
            sensitiveInformationPolicyUnits: 0,
            sensitiveInformationPolicyFreeUnits: 0,
            contextualGroundingPolicyUnits: 0,
          },
          guardrailCoverage: { textCharacters: { guarded: 58, total: 58 } },
        },
      },
    },
    actionReason: 'Guardrail blocked.',
  },
};

const blockedAnswer = {
  guardrail: {
    modelOutput: ['{"content":[{"text":"Take 400mg of ibuprofen, call Jane at jane@acme.io"}]}'],
    inputAssessment: {
      [GUARDRAIL]: { contentPolicy: { filters: [{ type: 'PROMPT_ATTACK', confidence: 'NONE', action: 'NONE', detected: false }] } },
    },
    outputAssessments: {
      [GUARDRAIL]: [
        {
          topicPolicy: { topics: [{ name: 'Medical advice', type: 'DENY', action: 'BLOCKED', detected: true }] },
          sensitiveInformationPolicy: {
            piiEntities: [{ match: 'jane@acme.io', type: 'EMAIL', action: 'ANONYMIZED', detected: true }],
            regexes: [{ name: 'Employee id', match: 'E-123456', regex: 'E-\\d{6}', action: 'BLOCKED', detected: true }],
          },
          wordPolicy: {
            customWords: [{ match: 'ibuprofen', action: 'BLOCKED', detected: true }],
            managedWordLists: [{ match: 'darn', type: 'PROFANITY', action: 'BLOCKED', detected: true }],
          },
        },
        // Streaming repeats an assessment per evaluated chunk.
        { topicPolicy: { topics: [{ name: 'Medical advice', type: 'DENY', action: 'BLOCKED', detected: true }] } },
      ],
    },
  },
};

const ungrounded = {
  guardrail: {
    outputAssessments: {
      [GUARDRAIL]: [
        {
          contextualGroundingPolicy: {
            filters: [
              { type: 'GROUNDING', threshold: 0.7, score: 0.31, action: 'BLOCKED', detected: true },
              { type: 'RELEVANCE', threshold: 0.5, score: 0.92, action: 'NONE', detected: false },
            ],
          },
        },
      ],
    },
  },
};

describe('guardrail trace summary', () => {
  it('names the content filter, category and confidence that blocked a question', () => {
    const s = summarizeGuardrailTrace(violentQuestion, 'guardrail_intervened');
    assert.equal(s.intervened, true);
    assert.equal(s.summary, 'Question blocked by the content filter: VIOLENCE (HIGH).');
    assert.deepEqual(s.policies, ['content filter: VIOLENCE (HIGH)']);
    assert.deepEqual(s.findings, [
      { source: 'input', policy: 'content', action: 'BLOCKED', label: 'VIOLENCE (HIGH)', guardrailId: GUARDRAIL },
    ]);
  });

  it('summarises several policies on the answer, blocked before masked, once each', () => {
    const s = summarizeGuardrailTrace(blockedAnswer, 'guardrail_intervened');
    assert.equal(
      s.summary,
      'Answer blocked by the denied topic: Medical advice. Answer blocked by the word filter: "ibuprofen". ' +
        'Answer blocked by the profanity filter: PROFANITY. Answer blocked by the sensitive information filter: Employee id. ' +
        'Answer masked by the sensitive information filter: EMAIL.',
    );
    assert.equal(s.findings.filter((f) => f.policy === 'topic').length, 1, 'repeated assessments are merged');
    assert.ok(
      s.findings.every((f) => f.source === 'output'),
      'filters that did not fire on the input are left out',
    );
  });

  it('never copies the matched personal data, regex matches, profanity or model output', () => {
    const text = JSON.stringify(summarizeGuardrailTrace(blockedAnswer, 'guardrail_intervened'));
    for (const secret of ['jane@acme.io', 'E-123456', 'darn', '400mg']) assert.ok(!text.includes(secret), secret);
  });

  it('gives the grounding score and threshold of an ungrounded answer', () => {
    const s = summarizeGuardrailTrace(ungrounded, 'guardrail_intervened');
    assert.equal(s.summary, 'Answer blocked by the contextual grounding check: grounding score 0.31 below 0.70.');
  });

  it('reports detect-mode findings (action NONE, detected) without calling it an intervention', () => {
    const trace = {
      guardrail: {
        inputAssessment: {
          [GUARDRAIL]: { contentPolicy: { filters: [{ type: 'INSULTS', confidence: 'MEDIUM', action: 'NONE', detected: true }] } },
        },
      },
    };
    const s = summarizeGuardrailTrace(trace, 'end_turn');
    assert.equal(s.intervened, false);
    assert.equal(s.summary, 'Question flagged (no action) by the content filter: INSULTS (MEDIUM).');
  });

  it('masking alone does not stop an answer: intervened follows stopReason, else any action', () => {
    const masked = {
      guardrail: {
        outputAssessments: {
          [GUARDRAIL]: [
            {
              sensitiveInformationPolicy: {
                piiEntities: [{ match: '555-0100', type: 'PHONE', action: 'ANONYMIZED', detected: true }],
                regexes: [],
              },
            },
          ],
        },
      },
    };
    assert.equal(summarizeGuardrailTrace(masked, 'end_turn').intervened, false);
    assert.equal(summarizeGuardrailTrace(masked).intervened, true);
    assert.equal(summarizeGuardrailTrace(masked).summary, 'Answer masked by the sensitive information filter: PHONE.');
  });

  it('accepts trace.guardrail itself as well as the whole trace', () => {
    assert.deepEqual(
      summarizeGuardrailTrace(violentQuestion.guardrail, 'guardrail_intervened'),
      summarizeGuardrailTrace(violentQuestion, 'guardrail_intervened'),
    );
  });

  it('says how to see the policy when the trace is off', () => {
    const s = summarizeGuardrailTrace(undefined, 'guardrail_intervened');
    assert.equal(s.intervened, true);
    assert.match(s.summary, /^A guardrail intervened\. .*bedrockDocs\.guardrail\.trace/);
    assert.match(
      summarizeGuardrailTrace({ guardrail: { actionReason: 'Guardrail blocked.' } }, 'guardrail_intervened').summary,
      /^A guardrail intervened \(Guardrail blocked\.\)\./,
    );
    assert.deepEqual(summarizeGuardrailTrace({}, 'end_turn'), {
      intervened: false,
      summary: 'No guardrail policy matched.',
      policies: [],
      findings: [],
    });
  });

  it('never throws on malformed traces', () => {
    const junk: unknown[] = [
      null,
      7,
      'x',
      [],
      { guardrail: null },
      { guardrail: { inputAssessment: [1, 2] } },
      { guardrail: { inputAssessment: { g: { contentPolicy: { filters: [null, 3, { type: 5, action: {} }] } } } } },
      { guardrail: { outputAssessments: { g: { not: 'an array' } } } },
      {
        guardrail: {
          outputAssessments: { g: [{ contextualGroundingPolicy: { filters: [{ type: 'GROUNDING', score: 'high', action: 'BLOCKED' }] } }] },
        },
      },
      { guardrail: { outputAssessments: { g: [{ automatedReasoningPolicy: { findings: [{ invalid: {} }, { valid: {} }, null] } }] } } },
    ];
    for (const trace of junk) {
      const s = summarizeGuardrailTrace(trace);
      assert.equal(typeof s.summary, 'string', JSON.stringify(trace));
    }
    const grounding = summarizeGuardrailTrace(junk[8]);
    assert.deepEqual(grounding.policies, ['contextual grounding check: grounding']);
    assert.deepEqual(summarizeGuardrailTrace(junk[9]).policies, ['automated reasoning check: invalid']);
  });

  it("fits the chat protocol's guardrail message even for a huge trace", () => {
    const topics = Array.from({ length: 500 }, (_, i) => ({
      name: `Topic ${i} ${'x'.repeat(300)}`,
      type: 'DENY',
      action: 'BLOCKED',
      detected: true,
    }));
    const s = summarizeGuardrailTrace({ guardrail: { inputAssessment: { g: { topicPolicy: { topics } } } } }, 'guardrail_intervened');
    assert.match(s.summary, /and 492 more\.$/);
    assert.ok(guardrailSchema.safeParse({ summary: s.summary, policies: s.policies }).success);
  });
});

describe('ApplyGuardrail summary', () => {
  it('summarises an intervention on checked text', () => {
    const response = {
      usage: {
        topicPolicyUnits: 1,
        contentPolicyUnits: 1,
        wordPolicyUnits: 1,
        sensitiveInformationPolicyUnits: 1,
        sensitiveInformationPolicyFreeUnits: 0,
        contextualGroundingPolicyUnits: 0,
      },
      action: 'GUARDRAIL_INTERVENED',
      actionReason: 'Guardrail blocked.',
      outputs: [{ text: 'Sorry, the model cannot answer this question.' }],
      assessments: [
        {
          contentPolicy: {
            filters: [{ type: 'PROMPT_ATTACK', confidence: 'MEDIUM', filterStrength: 'HIGH', action: 'BLOCKED', detected: true }],
          },
          sensitiveInformationPolicy: {
            piiEntities: [{ match: 'AKIAIOSFODNN7EXAMPLE', type: 'AWS_ACCESS_KEY', action: 'ANONYMIZED', detected: true }],
            regexes: [],
          },
        },
      ],
    };
    const s = summarizeApplyGuardrail(response, 'INPUT');
    assert.equal(s.intervened, true);
    assert.equal(
      s.summary,
      'Text blocked by the content filter: PROMPT_ATTACK (MEDIUM). Text masked by the sensitive information filter: AWS_ACCESS_KEY.',
    );
    assert.deepEqual(
      s.findings.map((f) => f.source),
      ['input', 'input'],
    );
    assert.equal(summarizeApplyGuardrail(response, 'OUTPUT').findings[0]?.source, 'output');
    assert.ok(!JSON.stringify(s).includes('AKIAIOSFODNN7EXAMPLE'));
  });

  it('says nothing matched when the guardrail let the text through', () => {
    const s = summarizeApplyGuardrail({ action: 'NONE', outputs: [], assessments: [{}] }, 'OUTPUT');
    assert.deepEqual(s, { intervened: false, summary: 'No guardrail policy matched.', policies: [], findings: [] });
    assert.equal(summarizeApplyGuardrail(null, 'INPUT').intervened, false);
  });
});
