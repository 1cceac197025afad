/** Renders a conversation as a Markdown document, for `chat/export`. */
import type { Conversation, Source, Turn } from './conversation';
import { formatContextDropped, formatStatsParts } from './formatStats';

/** The whole conversation: title, then each question, answer, sources and footer. Times in UTC. */
export function conversationToMarkdown(conversation: Conversation, appName = 'Bedrock Docs Assistant'): string {
  const lines: string[] = [`# ${oneLine(conversation.title) || 'Conversation'}`, '', `_${appName} · ${utc(conversation.updatedAt)}_`, ''];
  conversation.turns.forEach((turn, i) => {
    lines.push(`## ${i + 1}. ${oneLine(turn.question).slice(0, 120)}`, '');
    lines.push(...turn.question.split('\n').map((l) => `> ${l}`), '');
    lines.push(...turnBody(turn), '---', '');
  });
  return (
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

function turnBody(turn: Turn): string[] {
  const out: string[] = [];
  if (turn.guardrail) {
    out.push(`**Blocked by a guardrail:** ${turn.guardrail.summary}`, '');
  } else if (turn.answer) {
    out.push(turn.answer.trimEnd(), '');
  }
  if (turn.status === 'cancelled') out.push('_Stopped before the answer was complete._', '');
  if (turn.status === 'incomplete') out.push(`_Incomplete${turn.stats?.incompleteReason ? `: ${turn.stats.incompleteReason}` : '.'}_`, '');
  if (turn.error) {
    const hint = turn.error.hint ? ` ${turn.error.hint}` : '';
    out.push(`**Error (${turn.error.code}):** ${turn.error.message}${hint}`, '');
  }
  if (turn.sources.length > 0) {
    out.push('**Sources**', '', ...turn.sources.map(sourceLine), '');
  }
  if (turn.stats) {
    const dropped = formatContextDropped(turn.stats);
    out.push(`_${[turn.modelId, ...formatStatsParts(turn.stats)].join(' · ')}${dropped ? ` · ${dropped}` : ''}_`, '');
  }
  return out;
}

function sourceLine(source: Source): string {
  const lines = source.startLine === source.endLine ? `line ${source.startLine}` : `lines ${source.startLine}–${source.endLine}`;
  const crumb = source.breadcrumb.filter(Boolean).join(' > ') || source.title;
  return `${source.n}. ${crumb ? `${crumb} — ` : ''}\`${source.path}\` ${lines}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
