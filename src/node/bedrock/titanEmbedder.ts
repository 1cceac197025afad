/**
 * Embedder for Amazon Titan Text Embeddings V2: one text per InvokeModel call, 256/512/1024
 * dimensions, normalised vectors, and optionally Titan's binary (sign) embedding as well.
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockDocsError } from '../../core/errors';
import type { CallOptions, EmbedPurpose, EmbedResult, Embedder } from '../../core/ports';
import type { BedrockErrorContext } from './mapBedrockError';
import { mapBedrockError } from './mapBedrockError';

/** Model id of Titan Text Embeddings V2. */
export const TITAN_V2_MODEL_ID = 'amazon.titan-embed-text-v2:0';
/** Vector sizes Titan V2 accepts. */
export const TITAN_V2_DIMENSIONS = [256, 512, 1024] as const;

/** Model id, vector size and whether to fetch the binary embedding too. */
export interface TitanEmbedderOptions {
  modelId?: string;
  /** 256, 512 or 1024; default 1024. */
  dimensions?: number;
  /** Also ask for the binary embedding (one 0/1 per dimension). */
  binary?: boolean;
}

/** EmbedResult plus, when asked for, Titan's binary vectors (one byte 0/1 per dimension). */
export interface TitanEmbedResult extends EmbedResult {
  binary?: Uint8Array[];
}

interface TitanResponse {
  embedding?: number[];
  inputTextTokenCount?: number;
  embeddingsByType?: { float?: number[]; binary?: number[] };
}

/** Titan V2 through InvokeModel; `maxBatch` is 1, so callers control concurrency. */
export class TitanEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  readonly maxBatch = 1;
  private readonly binary: boolean;

  /** @param context region/profile/endpoint used to word errors (from BedrockConnection) */
  constructor(
    private readonly client: BedrockRuntimeClient,
    options: TitanEmbedderOptions = {},
    private readonly context: BedrockErrorContext = {},
  ) {
    this.modelId = options.modelId ?? TITAN_V2_MODEL_ID;
    this.dimensions = options.dimensions ?? 1024;
    this.binary = options.binary ?? false;
    if (!(TITAN_V2_DIMENSIONS as readonly number[]).includes(this.dimensions)) {
      throw new BedrockDocsError(
        'BAD_SETTING',
        `Titan Text Embeddings V2 has no ${this.dimensions}-dimension vectors.`,
        'Set bedrockDocs.embeddings.dimensions to 256, 512 or 1024.',
      );
    }
  }

  // The purpose does not change Titan's vectors: documents and queries share one space.
  async embed(texts: string[], _purpose: EmbedPurpose, options: CallOptions = {}): Promise<TitanEmbedResult> {
    const vectors: Float32Array[] = [];
    const binary: Uint8Array[] = [];
    let inputTokens = 0;
    for (const text of texts) {
      if (text.trim() === '') throw new BedrockDocsError('BAD_INPUT', 'Cannot embed an empty text.', 'Skip empty chunks before embedding.');
      const body = {
        inputText: text,
        dimensions: this.dimensions,
        normalize: true,
        ...(this.binary ? { embeddingTypes: ['float', 'binary'] } : {}),
      };
      let parsed: TitanResponse;
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
        parsed = JSON.parse(new TextDecoder().decode(response.body)) as TitanResponse;
      } catch (err) {
        throw mapBedrockError(err, { ...this.context, modelId: this.modelId, signal: options.signal });
      }
      const floats = parsed.embeddingsByType?.float ?? parsed.embedding;
      if (!floats || floats.length !== this.dimensions) {
        throw new BedrockDocsError(
          'UNKNOWN',
          `${this.modelId} returned ${floats?.length ?? 'no'} dimensions instead of ${this.dimensions}.`,
        );
      }
      vectors.push(Float32Array.from(floats));
      if (this.binary) binary.push(Uint8Array.from(parsed.embeddingsByType?.binary ?? floats.map((v) => (v > 0 ? 1 : 0))));
      inputTokens += parsed.inputTextTokenCount ?? Math.ceil(text.length / 4);
    }
    return this.binary ? { vectors, inputTokens, binary } : { vectors, inputTokens };
  }
}
