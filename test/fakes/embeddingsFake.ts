/**
 * InvokeModel for the embedding models the extension uses: Titan Text Embeddings V2 and Cohere
 * Embed v3, with their real request/response shapes and input limits.
 */
import { randomUUID } from 'node:crypto';
import { binaryOf, fakeEmbedding } from './fakeEmbedding';
import type { WireError } from './wireErrors';

/** Titan V2 accepts at most 50,000 characters (and 8,192 tokens) per text. */
export const TITAN_MAX_CHARS = 50_000;
/** Titan V2's token limit per text (the fake counts ceil(chars / 4)). */
export const TITAN_MAX_TOKENS = 8_192;
/** Cohere v3 accepts up to 96 texts per call. */
export const COHERE_MAX_TEXTS = 96;
/** Cohere v3's character limit per text. */
export const COHERE_MAX_CHARS = 2_048;

const TITAN_V2 = /^(?:arn:.*\/)?amazon\.titan-embed-text-v2:0$/;
const COHERE_V3 = /^(?:arn:.*\/)?cohere\.embed-(?:english|multilingual)-v3$/;

/** The JSON reply and its input token count, or the error to send. */
export type InvokeResult = { json: Record<string, unknown>; inputTokens: number } | { error: WireError };

// Bedrock relays the model's schema validation messages in this form.
const malformed = (detail: string): { error: WireError } => ({
  error: { type: 'ValidationException', message: `Malformed input request: ${detail}, please reformat your input and try again.` },
});

/** The fake's token estimate for embeddings, matching the chat side: ceil(characters / 4). */
const tokens = (text: string) => Math.ceil(text.length / 4);

function titan(body: Record<string, unknown>): InvokeResult {
  const { inputText, dimensions = 1024, normalize = true, embeddingTypes } = body;
  if (inputText === undefined) return malformed('#: required key [inputText] not found');
  if (typeof inputText !== 'string') return malformed('#/inputText: expected type: String');
  if (inputText.length === 0) return malformed('#/inputText: expected minLength: 1, actual: 0');
  if (inputText.length > TITAN_MAX_CHARS)
    return malformed(`#/inputText: expected maxLength: ${TITAN_MAX_CHARS}, actual: ${inputText.length}`);
  if (dimensions !== 256 && dimensions !== 512 && dimensions !== 1024)
    return malformed(`#/dimensions: ${String(dimensions)} is not a valid enum value`);
  if (typeof normalize !== 'boolean') return malformed('#/normalize: expected type: Boolean');
  const types = embeddingTypes ?? ['float'];
  if (!Array.isArray(types) || types.length === 0 || types.some((t) => t !== 'float' && t !== 'binary')) {
    return malformed('#/embeddingTypes: expected a non-empty list of "float" or "binary"');
  }
  const count = tokens(inputText);
  if (count > TITAN_MAX_TOKENS) {
    return {
      error: {
        type: 'ValidationException',
        message: `400 Bad Request: Too many input tokens. Max input tokens: ${TITAN_MAX_TOKENS}, request input token count: ${count} `,
      },
    };
  }
  const unit = fakeEmbedding(inputText, dimensions);
  // normalize=false: Titan returns an unnormalised vector; the fake scales the unit vector.
  const vector = normalize ? unit : unit.map((v) => v * 3.5);
  const embedding = Array.from(vector);
  const byType: Record<string, number[]> = {};
  if (types.includes('float')) byType.float = embedding;
  if (types.includes('binary')) byType.binary = binaryOf(vector);
  return { json: { embedding, inputTextTokenCount: count, embeddingsByType: byType }, inputTokens: count };
}

function packBits(vector: Float32Array, signed: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < vector.length; i += 8) {
    let byte = 0;
    for (let b = 0; b < 8; b++) byte = (byte << 1) | ((vector[i + b] ?? 0) > 0 ? 1 : 0);
    out.push(signed ? byte - 128 : byte);
  }
  return out;
}

function cohere(body: Record<string, unknown>): InvokeResult {
  const { texts, input_type: inputType, truncate = 'NONE', embedding_types: embeddingTypes } = body;
  if (texts === undefined) return malformed('#: required key [texts] not found');
  if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) return malformed('#/texts: expected type: JSONArray of String');
  if (texts.length > COHERE_MAX_TEXTS) return malformed(`#/texts: expected maxItems: ${COHERE_MAX_TEXTS}, actual: ${texts.length}`);
  if (inputType === undefined) return malformed('#: required key [input_type] not found');
  if (!['search_document', 'search_query', 'classification', 'clustering'].includes(inputType as string))
    return malformed(`#/input_type: ${String(inputType)} is not a valid enum value`);
  if (!['NONE', 'START', 'END'].includes(truncate as string)) return malformed(`#/truncate: ${String(truncate)} is not a valid enum value`);
  const kept = (texts as string[]).map((text, i) => {
    if (text.length <= COHERE_MAX_CHARS) return text;
    if (truncate === 'NONE') return { index: i, length: text.length };
    return truncate === 'END' ? text.slice(0, COHERE_MAX_CHARS) : text.slice(-COHERE_MAX_CHARS);
  });
  const tooLong = kept.find((k): k is { index: number; length: number } => typeof k !== 'string');
  if (tooLong) return malformed(`#/texts/${tooLong.index}: expected maxLength: ${COHERE_MAX_CHARS}, actual: ${tooLong.length}`);
  const inputs = kept as string[];
  // Cohere prepends a special token per input_type; the fake keeps vectors comparable across types.
  const vectors = inputs.map((text) => fakeEmbedding(text, 1024));
  const inputTokens = inputs.reduce((sum, t) => sum + tokens(t), 0);
  const common = { id: randomUUID(), texts: inputs };
  if (embeddingTypes === undefined) {
    return { json: { ...common, response_type: 'embeddings_floats', embeddings: vectors.map((v) => Array.from(v)) }, inputTokens };
  }
  const allowed = ['float', 'int8', 'uint8', 'binary', 'ubinary'];
  if (!Array.isArray(embeddingTypes) || embeddingTypes.some((t) => !allowed.includes(t as string))) {
    return malformed('#/embedding_types: expected a list of float, int8, uint8, binary, ubinary');
  }
  const embeddings: Record<string, number[][]> = {};
  for (const type of embeddingTypes as string[]) {
    embeddings[type] = vectors.map((v) => {
      if (type === 'float') return Array.from(v);
      if (type === 'int8') return Array.from(v, (x) => Math.max(-128, Math.min(127, Math.round(x * 127))));
      if (type === 'uint8') return Array.from(v, (x) => Math.max(0, Math.min(255, Math.round((x + 1) * 127.5))));
      return packBits(v, type === 'binary');
    });
  }
  return { json: { ...common, response_type: 'embeddings_by_type', embeddings }, inputTokens };
}

/** Whether InvokeModel on this id is an embedding model the fake serves. */
export function isFakeEmbeddingModel(modelId: string): boolean {
  return TITAN_V2.test(modelId) || COHERE_V3.test(modelId);
}

/** Answers an InvokeModel call for an embedding model; the body is the parsed JSON request. */
export function invokeEmbedding(modelId: string, body: unknown): InvokeResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return malformed('#: expected type: JSONObject');
  if (TITAN_V2.test(modelId)) return titan(body as Record<string, unknown>);
  if (COHERE_V3.test(modelId)) return cohere(body as Record<string, unknown>);
  return {
    error: {
      type: 'ValidationException',
      message: `The fake Bedrock serves InvokeModel only for Titan Text Embeddings V2 and Cohere Embed v3, not ${modelId}.`,
    },
  };
}
