/** Picks the Embedder implementation for an embedding model id. */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BedrockDocsError } from '../../core/errors';
import type { Embedder } from '../../core/ports';
import { CohereEmbedder } from './cohereEmbedder';
import type { BedrockErrorContext } from './mapBedrockError';
import { TitanEmbedder } from './titanEmbedder';

/**
 * Titan V2 for `amazon.titan-embed-text-v2*`, Cohere v3 for `cohere.embed-*-v3` (ARNs of either
 * included); anything else is a BAD_SETTING naming bedrockDocs.embeddings.modelId.
 * @param dimensions Titan only (256, 512, 1024); Cohere v3 is always 1024
 */
export function createEmbedder(
  client: BedrockRuntimeClient,
  modelId: string,
  dimensions: number,
  context: BedrockErrorContext = {},
): Embedder {
  const base = modelId.slice(modelId.lastIndexOf('/') + 1);
  if (/^amazon\.titan-embed-text-v2/.test(base)) return new TitanEmbedder(client, { modelId, dimensions }, context);
  if (/^cohere\.embed-(english|multilingual)-v3/.test(base)) return new CohereEmbedder(client, modelId, context);
  throw new BedrockDocsError(
    'BAD_SETTING',
    `No embedder for model ${modelId}.`,
    'Set bedrockDocs.embeddings.modelId to amazon.titan-embed-text-v2:0, cohere.embed-english-v3 or cohere.embed-multilingual-v3.',
  );
}
