/**
 * The fake's embedding: deterministic and meaningful (texts that share words are near), pure and
 * dependency-free so benchmarks and tests can compute the vectors the fake Bedrock returns.
 */

// FNV-1a, 32-bit: stable across runs and platforms, unlike Math.random or Map order.
function fnv1a(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Lower-cased word tokens (letters and digits of any script), as the fake counts them. */
export function fakeWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Feature hashing of word unigrams (weight 1) and bigrams (weight 0.5), each into one signed
 * bucket, then L2-normalised. Empty or wordless text gives the zero vector.
 * @param dimensions vector length (Titan V2: 256, 512 or 1024; Cohere v3: 1024)
 */
export function fakeEmbedding(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const words = fakeWords(text);
  const add = (feature: string, weight: number) => {
    const bucket = fnv1a(feature, 0) % dimensions;
    const sign = fnv1a(feature, 0x5bd1e995) & 1 ? 1 : -1;
    vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
  };
  for (let i = 0; i < words.length; i++) {
    add(words[i] as string, 1);
    if (i > 0) add(`${words[i - 1]} ${words[i]}`, 0.5);
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

/** Titan's binary embedding: one 0/1 per dimension, 1 where the float is positive. */
export function binaryOf(vector: Float32Array): number[] {
  return Array.from(vector, (v) => (v > 0 ? 1 : 0));
}
