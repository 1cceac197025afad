/**
 * Embedder for Cohere Embed v3 (English or multilingual) on Bedrock: up to 96 texts per call,
 * 1024 dimensions, `search_document` or `search_query` by purpose.
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockDocsError } from '../../core/errors';
import type { CallOptions, EmbedPurpose, EmbedResult, Embedder } from '../../core/ports';
import type { BedrockErrorContext } from './mapBedrockError';
import { mapBedrockError } from './mapBedrockError';

/** Texts per InvokeModel call Cohere v3 accepts on Bedrock. */
export const COHERE_MAX_BATCH = 96;
/** Characters per text; longer texts are cut at the end (truncate END). */
export const COHERE_MAX_CHARS = 2_048;

interface CohereResponse {
  embeddings?: number[][] | { float?: number[][] };
}

function normalise(values: number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

/** Cohere Embed v3 through InvokeModel; vectors are L2-normalised here. */
export class CohereEmbedder implements Embedder {
  readonly dimensions = 1024;
  readonly maxBatch = COHERE_MAX_BATCH;

  /** @param modelId `cohere.embed-english-v3` or `cohere.embed-multilingual-v3` */
  constructor(
    private readonly client: BedrockRuntimeClient,
    readonly modelId: string,
    private readonly context: BedrockErrorContext = {},
  ) {}

  /** Input tokens are estimated (ceil(chars / 4)): InvokeModel's output does not report Cohere's count. */
  async embed(texts: string[], purpose: EmbedPurpose, options: CallOptions = {}): Promise<EmbedResult> {
    const vectors: Float32Array[] = [];
    let inputTokens = 0;
    for (let start = 0; start < texts.length; start += COHERE_MAX_BATCH) {
      const batch = texts.slice(start, start + COHERE_MAX_BATCH);
      if (batch.some((t) => t.trim() === ''))
        throw new BedrockDocsError('BAD_INPUT', 'Cannot embed an empty text.', 'Skip empty chunks before embedding.');
      // truncate END: a chunk over Cohere's 2,048 characters loses its tail instead of failing the batch.
      const body = { texts: batch, input_type: purpose === 'query' ? 'search_query' : 'search_document', truncate: 'END' };
      let parsed: CohereResponse;
      try {
        const response = await this.client.send(
          new InvokeModelCommand({
            modelId: this.modelId,
            contentType: 'application/json',
            accept: 'application/json',
            body: JSON.stringify(body),
          }),
          { abortSignal: options.signal },
        );
        parsed = JSON.parse(new TextDecoder().decode(response.body)) as CohereResponse;
      } catch (err) {
        throw mapBedrockError(err, { ...this.context, modelId: this.modelId, signal: options.signal });
      }
      const floats = Array.isArray(parsed.embeddings) ? parsed.embeddings : parsed.embeddings?.float;
      if (!floats || floats.length !== batch.length) {
        throw new BedrockDocsError('UNKNOWN', `${this.modelId} returned ${floats?.length ?? 'no'} vectors for ${batch.length} texts.`);
      }
      for (const values of floats) vectors.push(normalise(values));
      inputTokens += batch.reduce((sum, t) => sum + Math.ceil(Math.min(t.length, COHERE_MAX_CHARS) / 4), 0);
    }
    return { vectors, inputTokens };
  }
}
