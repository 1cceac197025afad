/**
 * Turns a Bedrock guardrail trace into a short sentence for the chat ("Question blocked by the
 * content filter: VIOLENCE (HIGH).") and a structured list. Reads the Converse / ConverseStream
 * `trace.guardrail` (inputAssessment: {guardrailId: assessment}; outputAssessments: {guardrailId:
 * assessment[]}) and the ApplyGuardrail response (action, assessments[]). Input is `unknown` and
 * read defensively: a missing or odd field never throws.
 * Shapes: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailAssessment.html
 * The matched text of personal data and regex filters is never copied: traces echo the user's data.
 */

/** Where the guardrail looked: the text going in (the question) or the model's answer. */
export type GuardrailSource = 'input' | 'output';

/** The guardrail policy that produced a finding. */
export type GuardrailPolicy = 'topic' | 'content' | 'word' | 'managedWord' | 'pii' | 'regex' | 'grounding' | 'automatedReasoning';

/** One filter that acted (BLOCKED, ANONYMIZED) or, in detect mode, only detected (NONE). */
export interface GuardrailFinding {
  source: GuardrailSource;
  policy: GuardrailPolicy;
  /** As Bedrock reports it: BLOCKED, ANONYMIZED or NONE. */
  action: string;
  /** Short label: "VIOLENCE (HIGH)", the topic's name, "EMAIL", "grounding score 0.31 below 0.70". */
  label: string;
  /** The guardrail that reported it, when the trace says. */
  guardrailId?: string;
}

/** What a guardrail did to one request, for the chat view and the log. */
export interface GuardrailSummary {
  /** The guardrail changed or stopped the exchange. */
  intervened: boolean;
  /** One or a few sentences for the user. */
  summary: string;
  /** "content filter: VIOLENCE (HIGH)", one per finding, for the chat view's policy list. */
  policies: string[];
  findings: GuardrailFinding[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const MAX_LABEL = 120;
const MAX_PER_GROUP = 8;
const clip = (s: string): string => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);

const POLICY_NAMES: Record<GuardrailPolicy, string> = {
  topic: 'denied topic',
  content: 'content filter',
  word: 'word filter',
  managedWord: 'profanity filter',
  pii: 'sensitive information filter',
  regex: 'sensitive information filter',
  grounding: 'contextual grounding check',
  automatedReasoning: 'automated reasoning check',
};

/** The findings in one GuardrailAssessment; filters that neither acted nor detected are left out. */
function readAssessment(raw: unknown, source: GuardrailSource, guardrailId: string | undefined): GuardrailFinding[] {
  const a = obj(raw);
  if (!a) return [];
  const out: GuardrailFinding[] = [];
  const add = (policy: GuardrailPolicy, entry: Obj, label: string | undefined): void => {
    const action = str(entry.action) ?? 'NONE';
    if (action === 'NONE' && entry.detected !== true) return;
    const finding: GuardrailFinding = { source, policy, action, label: clip(label ?? 'unnamed') };
    if (guardrailId !== undefined) finding.guardrailId = guardrailId;
    out.push(finding);
  };
  for (const t of arr(obj(a.topicPolicy)?.topics)) {
    const topic = obj(t);
    if (topic) add('topic', topic, str(topic.name));
  }
  for (const f of arr(obj(a.contentPolicy)?.filters)) {
    const filter = obj(f);
    if (!filter) continue;
    const confidence = str(filter.confidence);
    add('content', filter, `${str(filter.type) ?? 'content'}${confidence && confidence !== 'NONE' ? ` (${confidence})` : ''}`);
  }
  const words = obj(a.wordPolicy);
  for (const w of arr(words?.customWords)) {
    const word = obj(w);
    // The match of a custom word is one of the words the guardrail's owner listed.
    if (word) add('word', word, str(word.match) && `"${str(word.match)}"`);
  }
  for (const w of arr(words?.managedWordLists)) {
    const word = obj(w);
    if (word) add('managedWord', word, str(word.type) ?? 'PROFANITY');
  }
  const sensitive = obj(a.sensitiveInformationPolicy);
  for (const p of arr(sensitive?.piiEntities)) {
    const pii = obj(p);
    if (pii) add('pii', pii, str(pii.type));
  }
  for (const r of arr(sensitive?.regexes)) {
    const regex = obj(r);
    if (regex) add('regex', regex, str(regex.name) ?? 'custom pattern');
  }
  for (const g of arr(obj(a.contextualGroundingPolicy)?.filters)) {
    const filter = obj(g);
    if (!filter) continue;
    const score = num(filter.score);
    const threshold = num(filter.threshold);
    const type = (str(filter.type) ?? 'grounding').toLowerCase();
    add(
      'grounding',
      filter,
      score !== undefined && threshold !== undefined ? `${type} score ${score.toFixed(2)} below ${threshold.toFixed(2)}` : type,
    );
  }
  for (const f of arr(obj(a.automatedReasoningPolicy)?.findings)) {
    // Each finding is a union with one key: valid, invalid, satisfiable, impossible, ...
    const kind = Object.keys(obj(f) ?? {})[0];
    if (kind && kind !== 'valid') add('automatedReasoning', { action: 'NONE', detected: true }, kind);
  }
  return out;
}

const ACTION_ORDER = ['BLOCKED', 'ANONYMIZED'];
const VERBS: Record<string, string> = { BLOCKED: 'blocked', ANONYMIZED: 'masked' };

/** "Question blocked by the content filter: VIOLENCE (HIGH), HATE (MEDIUM)." per (source, action, policy). */
function describe(findings: GuardrailFinding[], subjects: Record<GuardrailSource, string>): string {
  const groups = new Map<string, { source: GuardrailSource; action: string; policy: string; labels: string[] }>();
  const rank = (f: GuardrailFinding): number => (ACTION_ORDER.includes(f.action) ? ACTION_ORDER.indexOf(f.action) : ACTION_ORDER.length);
  const ordered = [...findings].sort((a, b) => rank(a) - rank(b) || (a.source === b.source ? 0 : a.source === 'input' ? -1 : 1));
  for (const f of ordered) {
    const policy = POLICY_NAMES[f.policy];
    const key = `${f.source}\u0000${f.action}\u0000${policy}`;
    const group = groups.get(key) ?? { source: f.source, action: f.action, policy, labels: [] };
    if (!group.labels.includes(f.label)) group.labels.push(f.label);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ source, action, policy, labels }) => {
      const verb = VERBS[action] ?? (action === 'NONE' ? 'flagged (no action)' : `${action.toLowerCase()}`);
      const shown =
        labels.slice(0, MAX_PER_GROUP).join(', ') + (labels.length > MAX_PER_GROUP ? ` and ${labels.length - MAX_PER_GROUP} more` : '');
      return `${subjects[source]} ${verb} by the ${policy}: ${shown}.`;
    })
    .join(' ');
}

function unique(findings: GuardrailFinding[]): GuardrailFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = [f.source, f.policy, f.action, f.label, f.guardrailId ?? ''].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function summarize(
  findings: GuardrailFinding[],
  intervened: boolean,
  actionReason: string | undefined,
  subjects: Record<GuardrailSource, string>,
): GuardrailSummary {
  const unseen = 'The trace does not say which policy: set bedrockDocs.guardrail.trace to "enabled" to see it.';
  let summary: string;
  if (findings.length > 0) summary = describe(findings, subjects);
  else if (intervened) summary = `A guardrail intervened${actionReason ? ` (${clip(actionReason)})` : ''}. ${unseen}`;
  else summary = 'No guardrail policy matched.';
  const policies = [...new Set(findings.map((f) => `${POLICY_NAMES[f.policy]}: ${f.label}`))];
  return { intervened, summary, policies, findings };
}

/**
 * Summarises a Converse / ConverseStream guardrail trace: the response's `trace` (or its
 * `trace.guardrail`). `stopReason` "guardrail_intervened" marks an intervention even when the
 * trace is off or empty; without it, any BLOCKED or ANONYMIZED finding does.
 */
export function summarizeGuardrailTrace(trace: unknown, stopReason?: string): GuardrailSummary {
  const t = obj(trace);
  const g = obj(t?.guardrail) ?? t;
  const findings: GuardrailFinding[] = [];
  for (const [id, assessment] of Object.entries(obj(g?.inputAssessment) ?? {})) findings.push(...readAssessment(assessment, 'input', id));
  for (const [id, list] of Object.entries(obj(g?.outputAssessments) ?? {})) {
    for (const assessment of arr(list)) findings.push(...readAssessment(assessment, 'output', id));
  }
  const distinct = unique(findings);
  const acted = distinct.some((f) => f.action !== 'NONE');
  const intervened = stopReason !== undefined ? stopReason === 'guardrail_intervened' : acted;
  return summarize(distinct, intervened, str(g?.actionReason), { input: 'Question', output: 'Answer' });
}

/**
 * Summarises an ApplyGuardrail response (the "check text" command). `source` is what the request
 * said the text was: INPUT (a prompt) or OUTPUT (a model answer).
 */
export function summarizeApplyGuardrail(response: unknown, source: 'INPUT' | 'OUTPUT'): GuardrailSummary {
  const r = obj(response);
  const where: GuardrailSource = source === 'OUTPUT' ? 'output' : 'input';
  const findings = unique(arr(r?.assessments).flatMap((a) => readAssessment(a, where, undefined)));
  const intervened = r?.action === 'GUARDRAIL_INTERVENED';
  return summarize(findings, intervened, str(r?.actionReason), { input: 'Text', output: 'Text' });
}
