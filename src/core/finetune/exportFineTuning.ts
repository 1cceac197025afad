/**
 * "Export fine-tuning data": rated chat turns -> JSONL records in the Bedrock conversation format,
 * for teams that want to adapt a model's tone to their docs. Only thumbs-up answers by default;
 * redaction runs on every text before it is written; a record that fails the format check is left
 * out with its reason instead of making the training job fail.
 */
import type { ConversationRecord, ConversationRecordMessage } from './conversationRecord';
import { BEDROCK_CONVERSATION_SCHEMA, NOVA_RECORD_BOUNDS, validateConversationRecord } from './conversationRecord';

/** Thumbs up or down, as the chat records it. */
export type AnswerRating = 'up' | 'down';

/**
 * One question and answer as the chat keeps it (the protocol's Turn fits). `prompt` is the user
 * turn exactly as sent (sources and question); without it the question alone is written and [n]
 * markers are removed from the answer, so a record never teaches citing sources it does not show.
 */
export interface RatedTurn {
  question: string;
  answer: string;
  rating?: AnswerRating | null;
  /** Only 'done' turns are exported when a status is given (not cut, cancelled or failed). */
  status?: string;
  prompt?: string;
}

/** A saved chat with its turns, oldest first. */
export interface RatedConversation {
  id: string;
  /** The system prompt its answers were produced with. */
  systemPrompt?: string;
  turns: readonly RatedTurn[];
}

/** How to export: the redaction to apply, which ratings, single- or multi-turn records. */
export interface FineTuneExportOptions {
  /** Applied to every text written (system prompt, user turn, answer): local redaction. Required on purpose. */
  redact: (text: string) => string;
  /** Ratings whose answers are exported; default ['up']. */
  ratings?: readonly AnswerRating[];
  /**
   * 'turn' (default): one single-turn record per exported answer (every Bedrock model that reads
   * this format accepts it). 'conversation': consecutive exported turns of a chat form one
   * multi-turn record (Amazon Nova only); a turn that is not exported splits the chat.
   */
  grouping?: 'turn' | 'conversation';
  /** Used for conversations that carry no system prompt. */
  defaultSystemPrompt?: string;
}

/** A turn that was not written, and why. `turn` is its 0-based index in the conversation. */
export interface SkippedTurn {
  conversationId: string;
  turn: number;
  reason: string;
}

/** The export: records, the JSONL text to write, what was left out, and dataset-size warnings. */
export interface FineTuneExport {
  records: ConversationRecord[];
  jsonl: string;
  skipped: SkippedTurn[];
  warnings: string[];
}

// [1], [1, 2], [1][2], [1-3] with the space before them, as citations.ts reads them.
const CITATION = /\s*\[\d{1,3}(?:\s*(?:,|-|–)\s*\d{1,3})*\]/g;

// Fenced blocks and inline code spans, where `items[0]` is code, not a citation.
const CODE = /(```[\s\S]*?(?:```|$)|`[^`\n]*`)/;

/** The answer without its [n] citation markers (code blocks and spans are left as they are). */
export function stripCitationMarkers(answer: string): string {
  return answer
    .split(CODE)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(CITATION, '')))
    .join('')
    .trim();
}

function skipReason(turn: RatedTurn, ratings: readonly AnswerRating[]): string | undefined {
  if (!turn.rating || !ratings.includes(turn.rating)) return turn.rating ? `rated ${turn.rating}` : 'not rated';
  if (turn.status !== undefined && turn.status !== 'done') return `answer ${turn.status}`;
  if (!turn.question.trim() || !turn.answer.trim()) return 'empty question or answer';
  return undefined;
}

function messagesOf(turn: RatedTurn, redact: (text: string) => string): ConversationRecordMessage[] {
  const user = turn.prompt?.trim() ? turn.prompt : turn.question;
  const answer = turn.prompt?.trim() ? turn.answer : stripCitationMarkers(turn.answer);
  return [
    { role: 'user', content: [{ text: redact(user) }] },
    { role: 'assistant', content: [{ text: redact(answer) }] },
  ];
}

/** Builds the records of rated conversations; see FineTuneExportOptions for the choices. */
export function exportFineTuning(conversations: readonly RatedConversation[], options: FineTuneExportOptions): FineTuneExport {
  const ratings = options.ratings ?? ['up'];
  const records: ConversationRecord[] = [];
  const skipped: SkippedTurn[] = [];

  for (const conversation of conversations) {
    const systemText = conversation.systemPrompt ?? options.defaultSystemPrompt;
    const system = systemText?.trim() ? [{ text: options.redact(systemText) }] : undefined;
    let group: Array<{ index: number; messages: ConversationRecordMessage[] }> = [];
    const flush = () => {
      if (group.length === 0) return;
      const record: ConversationRecord = {
        schemaVersion: BEDROCK_CONVERSATION_SCHEMA,
        ...(system ? { system } : {}),
        messages: group.flatMap((g) => g.messages),
      };
      const problems = validateConversationRecord(record);
      if (problems.length === 0) records.push(record);
      else
        for (const g of group)
          skipped.push({ conversationId: conversation.id, turn: g.index, reason: `invalid record: ${problems.join('; ')}` });
      group = [];
    };
    conversation.turns.forEach((turn, index) => {
      const reason = skipReason(turn, ratings);
      if (reason) {
        skipped.push({ conversationId: conversation.id, turn: index, reason });
        flush();
        return;
      }
      group.push({ index, messages: messagesOf(turn, options.redact) });
      if (options.grouping !== 'conversation') flush();
    });
    flush();
  }

  const warnings: string[] = [];
  if (records.length < NOVA_RECORD_BOUNDS.min)
    warnings.push(
      `Only ${records.length} record${records.length === 1 ? '' : 's'}: Amazon Nova fine-tuning needs at least ${NOVA_RECORD_BOUNDS.min} (and works better with hundreds). Rate more answers.`,
    );
  if (records.length > NOVA_RECORD_BOUNDS.max)
    warnings.push(`${records.length} records: Amazon Nova fine-tuning accepts at most ${NOVA_RECORD_BOUNDS.max}. Split the file.`);
  return { records, jsonl: records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : ''), skipped, warnings };
}
