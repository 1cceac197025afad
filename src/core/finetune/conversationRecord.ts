/**
 * The Bedrock model-customization conversation format (`bedrock-conversation-2024`, the Converse
 * message shape; Amazon Nova fine-tuning and model distillation read it) and a validator that
 * checks records the way AWS's published Nova dataset validator does
 * (https://docs.aws.amazon.com/nova/latest/userguide/customize-fine-tune-prepare.html):
 * messages alternate user/assistant starting with user and ending with assistant, texts are not
 * blank, and no text contains a reserved keyword ("User:", "Bot:", "[EOS]"...).
 * Note: Claude 3 Haiku fine-tuning on Bedrock uses a different format (plain-string contents).
 */
import * as z from 'zod';

/** The `schemaVersion` every record carries. */
export const BEDROCK_CONVERSATION_SCHEMA = 'bedrock-conversation-2024';

/** One turn of a record: text blocks only (this export writes no images or documents). */
export interface ConversationRecordMessage {
  role: 'user' | 'assistant';
  content: Array<{ text: string }>;
}

/** One JSONL line of a fine-tuning dataset. */
export interface ConversationRecord {
  schemaVersion: typeof BEDROCK_CONVERSATION_SCHEMA;
  system?: Array<{ text: string }>;
  messages: ConversationRecordMessage[];
}

// From AWS's Nova dataset validator (aws-samples amazon-nova-samples, INVALID_TOKENS_TEXT): a text
// containing any of these is rejected by the training job.
const RESERVED_KEYWORDS = [
  'System:',
  'SYSTEM:',
  'User:',
  'USER:',
  'Bot:',
  'BOT:',
  'Assistant:',
  'ASSISTANT:',
  'Thought:',
  '[EOS]',
  '<image>',
  '<video>',
  '<unk>',
];

/** Amazon Nova fine-tuning accepts 8 to 20,000 records per dataset. */
export const NOVA_RECORD_BOUNDS = { min: 8, max: 20_000 } as const;

/** The reserved keywords a text contains (empty when it may be used). */
export function reservedKeywordsIn(text: string): string[] {
  return RESERVED_KEYWORDS.filter((k) => text.includes(k));
}

const textBlock = z.strictObject({ text: z.string().refine((t) => t.trim() !== '', 'blank text') });
const recordSchema = z.strictObject({
  schemaVersion: z.literal(BEDROCK_CONVERSATION_SCHEMA),
  system: z.optional(z.array(textBlock).min(1)),
  messages: z.array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.array(textBlock).min(1) })).min(2),
});

/** Problems of one record, each "where: what"; empty when the record is valid. */
export function validateConversationRecord(value: unknown): string[] {
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'record'}: ${i.message}`);
  const problems: string[] = [];
  const { messages, system } = parsed.data;
  messages.forEach((m, i) => {
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (m.role !== expected) problems.push(`messages.${i}.role: expected ${expected} (turns alternate, starting with user), got ${m.role}`);
  });
  if (messages.at(-1)?.role !== 'assistant') problems.push("messages: the last turn must be the assistant's");
  const texts: Array<[string, string]> = [
    ...(system ?? []).map((b, j): [string, string] => [`system.${j}.text`, b.text]),
    ...messages.flatMap((m, i) => m.content.map((b, j): [string, string] => [`messages.${i}.content.${j}.text`, b.text])),
  ];
  for (const [where, text] of texts) {
    const reserved = reservedKeywordsIn(text);
    if (reserved.length > 0)
      problems.push(`${where}: contains reserved keyword${reserved.length > 1 ? 's' : ''} ${reserved.map((k) => `"${k}"`).join(', ')}`);
  }
  return problems;
}

/** A JSONL dataset checked line by line: records counted, problems by 1-based line, size warnings. */
export interface DatasetValidation {
  records: number;
  problems: Array<{ line: number; problem: string }>;
  warnings: string[];
}

/** Validates a whole JSONL text: every line one valid record (a trailing newline is fine). */
export function validateConversationJsonl(jsonl: string): DatasetValidation {
  const problems: DatasetValidation['problems'] = [];
  const lines = jsonl.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return problems.push({ line, problem: 'blank line (JSONL has one record per line)' });
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return problems.push({ line, problem: 'not valid JSON' });
    }
    for (const problem of validateConversationRecord(value)) problems.push({ line, problem });
  });
  const warnings: string[] = [];
  const { min, max } = NOVA_RECORD_BOUNDS;
  if (lines.length < min || lines.length > max)
    warnings.push(`Amazon Nova fine-tuning accepts ${min} to ${max.toLocaleString('en-US')} records; this dataset has ${lines.length}.`);
  return { records: lines.length, problems, warnings };
}
