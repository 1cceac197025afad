/**
 * ConverseStream replies as real `application/vnd.amazon.eventstream` frames, encoded with the
 * same codec the SDK decodes with.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { ConverseOutcome, WireUsage } from './converseFake';
import type { StreamExceptionType } from './wireErrors';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

// Bedrock pads every event payload with a `p` field of varying length (against traffic analysis);
// the SDK must ignore it, so the fake sends one too.
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
let padCounter = 0;
const pad = () => PADDING.slice(0, 4 + (padCounter++ % 20));

/** One `:message-type: event` frame with a JSON payload. */
export function eventFrame(eventType: string, payload: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify({ ...payload, p: pad() })),
  });
}

/** One `:message-type: exception` frame, as Bedrock sends errors after the stream started. */
export function exceptionFrame(exception: StreamExceptionType, message: string): Uint8Array {
  const payload: Record<string, unknown> = { message };
  if (exception === 'modelStreamErrorException') {
    payload.originalStatusCode = 500;
    payload.originalMessage = message;
  }
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exception },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** Splits text into groups of `size` words, keeping the spaces so the groups concatenate back. */
export function wordGroups(text: string, size = 3): string[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  const lead = text.match(/^\s*/)?.[0] ?? '';
  const groups: string[] = [];
  for (let i = 0; i < words.length; i += size) groups.push(words.slice(i, i + size).join(''));
  if (groups.length > 0 && lead) groups[0] = lead + groups[0];
  return groups.length > 0 ? groups : [text];
}

/** Splits a JSON string into fragments of `size` characters, as tool input deltas arrive. */
export function jsonFragments(json: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

/** The whole event sequence of one ConverseStream answer, metadata last. */
export function converseStreamFrames(outcome: ConverseOutcome, usage: WireUsage, latencyMs: number): Uint8Array[] {
  const frames = [eventFrame('messageStart', { role: 'assistant' })];
  outcome.content.forEach((block, contentBlockIndex) => {
    if ('toolUse' in block) {
      const { toolUseId, name, input } = block.toolUse;
      frames.push(eventFrame('contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId, name } } }));
      for (const fragment of jsonFragments(JSON.stringify(input))) {
        frames.push(eventFrame('contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input: fragment } } }));
      }
    } else {
      for (const group of wordGroups(block.text))
        frames.push(eventFrame('contentBlockDelta', { contentBlockIndex, delta: { text: group } }));
    }
    frames.push(eventFrame('contentBlockStop', { contentBlockIndex }));
  });
  frames.push(eventFrame('messageStop', { stopReason: outcome.stopReason }));
  const metadata: Record<string, unknown> = { usage, metrics: { latencyMs } };
  if (outcome.trace !== undefined) metadata.trace = outcome.trace;
  frames.push(eventFrame('metadata', metadata));
  return frames;
}
