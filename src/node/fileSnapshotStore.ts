/**
 * Index snapshots on disk, in our own format (Orama's persistence plugin fails on large indexes:
 * shared/reference/orama-facts.md):
 *   manifest.json            versioned; names the data files of the current generation, with sizes and sha256
 *   chunks-<gen>.jsonl       one chunk record a line
 *   embeddings-<gen>.f16     raw little-endian float16 rows (version 1 wrote float32 `.f32`: still read)
 *   embeddings-<gen>.keys    the content hash of each row, one a line
 *   embeddings-<gen>.sig     each row's SimHash code (u32 words), for the vector pre-scan
 *   index-<gen>.bin          each chunk's embedding row and the text index (core/index/snapshotCodec.ts)
 * Writes are atomic: data files are written under new names, then the manifest is replaced by
 * rename, then the previous generation is deleted. A crash at any point (kill -9 included) leaves
 * either the old or the new snapshot whole; anything inconsistent is reported as INDEX_CORRUPT and
 * rebuilt. Reading and writing go in pieces of a few MB with yields between, so a 100k-chunk
 * snapshot (~400 MB) never blocks the event loop for long.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chunk } from '../core/chunk';
import { BedrockDocsError, describeError } from '../core/errors';
import { toHalf } from '../core/index/float16';
import { TimeSlicer } from '../core/index/slices';
import type { IndexSnapshot } from '../core/index/snapshot';
import { SNAPSHOT_VERSION } from '../core/index/snapshot';
import { decodeIndexParts, encodeIndexParts } from '../core/index/snapshotCodec';
import type { Logger, SnapshotStore } from '../core/ports';

const FORMAT = 'bedrock-docs-index';
const MANIFEST = 'manifest.json';
// Bytes hashed and written (or read) per step: ~4 ms of sha256.
const PIECE = 4 << 20;
const CHUNKS_PER_PIECE = 1000;
const DATA_FILE = /^(chunks|embeddings|index)-(.+?)\.(jsonl|f16|f32|keys|sig|bin)(\.tmp)?$/;

interface DataFile {
  name: string;
  bytes: number;
  sha256: string;
}

interface Manifest {
  format: typeof FORMAT;
  version: number;
  generation: string;
  chunkingFingerprint: string;
  savedAt: number;
  files: IndexSnapshot['files'];
  chunkCount: number;
  chunks: DataFile;
  embeddingTextKey?: string;
  /** `encoding` is absent in version 1 manifests: float32. */
  embeddings?: { modelKey: string; dimensions: number; count: number; encoding?: 'f16'; vectors: DataFile; keys: DataFile; codes?: DataFile; codeVersion?: number };
  index?: DataFile;
}

function corrupt(dir: string, why: string): BedrockDocsError {
  return new BedrockDocsError('INDEX_CORRUPT', `the saved index in ${dir} is unusable: ${why}`, 'It is rebuilt automatically.');
}

function bytesOf(array: Uint16Array | Uint32Array | Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function isChunk(value: unknown): value is Chunk {
  const c = value as Partial<Chunk> | null;
  return !!c && typeof c.id === 'string' && typeof c.path === 'string' && typeof c.text === 'string' && typeof c.fileType === 'string' &&
    typeof c.title === 'string' && Array.isArray(c.breadcrumb) && typeof c.startLine === 'number' && typeof c.endLine === 'number';
}

async function* jsonLines(chunks: readonly Chunk[], slicer: TimeSlicer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < chunks.length; i += CHUNKS_PER_PIECE) {
    const lines = chunks.slice(i, i + CHUNKS_PER_PIECE).map((c) => JSON.stringify(c));
    yield Buffer.from((i > 0 ? '\n' : '') + lines.join('\n'));
    await slicer.tick();
  }
}

export class FileSnapshotStore implements SnapshotStore {
  constructor(
    readonly dir: string,
    private readonly logger?: Logger,
  ) {}

  async save(snapshot: IndexSnapshot): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const slicer = new TimeSlicer();
    const generation = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const chunks = await this.writeData(`chunks-${generation}.jsonl`, jsonLines(snapshot.chunks, slicer));
    let embeddings: Manifest['embeddings'];
    if (snapshot.embeddings && snapshot.embeddings.hashes.length > 0) {
      const e = snapshot.embeddings;
      embeddings = {
        modelKey: e.modelKey,
        dimensions: e.dimensions,
        count: e.hashes.length,
        encoding: 'f16',
        vectors: await this.writeData(`embeddings-${generation}.f16`, [bytesOf(e.vectors)]),
        keys: await this.writeData(`embeddings-${generation}.keys`, [Buffer.from(e.hashes.join('\n'))]),
        ...(e.codes && e.codeVersion !== undefined ? { codes: await this.writeData(`embeddings-${generation}.sig`, [bytesOf(e.codes)]), codeVersion: e.codeVersion } : {}),
      };
    }
    const hasIndex = snapshot.chunkVectors || snapshot.textIndex;
    const index = hasIndex ? await this.writeData(`index-${generation}.bin`, encodeIndexParts({ chunkVectors: snapshot.chunkVectors, textIndex: snapshot.textIndex })) : undefined;
    const manifest: Manifest = {
      format: FORMAT,
      version: snapshot.version,
      generation,
      chunkingFingerprint: snapshot.chunkingFingerprint,
      savedAt: snapshot.savedAt,
      files: snapshot.files,
      chunkCount: snapshot.chunks.length,
      chunks,
      ...(snapshot.embeddingTextKey !== undefined ? { embeddingTextKey: snapshot.embeddingTextKey } : {}),
      ...(embeddings ? { embeddings } : {}),
      ...(index ? { index } : {}),
    };
    const tmp = join(this.dir, `${MANIFEST}.${generation}.tmp`);
    await writeFile(tmp, JSON.stringify(manifest));
    await rename(tmp, join(this.dir, MANIFEST));
    await this.removeOtherGenerations(generation);
  }

  async load(): Promise<IndexSnapshot | undefined> {
    let raw: string;
    try {
      raw = await readFile(join(this.dir, MANIFEST), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(raw) as Manifest;
    } catch {
      throw corrupt(this.dir, 'manifest.json is not valid JSON');
    }
    if (manifest.format !== FORMAT || typeof manifest.version !== 'number' || !manifest.chunks || !Array.isArray(manifest.files)) {
      throw corrupt(this.dir, 'manifest.json is not a bedrock-docs index manifest');
    }
    const slicer = new TimeSlicer();
    const snapshot: IndexSnapshot = { version: manifest.version, chunkingFingerprint: manifest.chunkingFingerprint, savedAt: manifest.savedAt, files: manifest.files, chunks: [] };
    if (manifest.embeddingTextKey !== undefined) snapshot.embeddingTextKey = manifest.embeddingTextKey;
    if (manifest.embeddings) snapshot.embeddings = await this.readEmbeddings(manifest.embeddings, slicer);
    // Another layout: only the embeddings are of use (the Indexer rebuilds the rest).
    if (manifest.version !== SNAPSHOT_VERSION) return snapshot;
    snapshot.chunks = await this.readChunks(manifest.chunks, slicer);
    if (snapshot.chunks.length !== manifest.chunkCount) throw corrupt(this.dir, `expected ${manifest.chunkCount} chunks, found ${snapshot.chunks.length}`);
    if (manifest.index) {
      try {
        const parts = decodeIndexParts(await this.readData(manifest.index, slicer));
        if (parts.chunkVectors) snapshot.chunkVectors = parts.chunkVectors;
        if (parts.textIndex) snapshot.textIndex = parts.textIndex;
      } catch (err) {
        // The chunks are whole: the text index is rebuilt from them and vectors found by hash.
        this.logger?.warn(`index data unusable, rebuilding it from the chunks: ${describeError(err)}`);
      }
    }
    return snapshot;
  }

  private async readChunks(file: DataFile, slicer: TimeSlicer): Promise<Chunk[]> {
    const bytes = await this.readData(file, slicer);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const chunks: Chunk[] = [];
    let pos = 0;
    while (pos < text.length) {
      let end = text.indexOf(10, pos);
      if (end < 0) end = text.length;
      let chunk: unknown;
      try {
        chunk = JSON.parse(text.toString('utf8', pos, end));
      } catch {
        throw corrupt(this.dir, `a chunk record in ${file.name} is not valid JSON`);
      }
      if (!isChunk(chunk)) throw corrupt(this.dir, `a chunk record in ${file.name} is not a chunk`);
      chunks.push(chunk);
      pos = end + 1;
      if ((chunks.length & 255) === 0) await slicer.tick();
    }
    return chunks;
  }

  private async readEmbeddings(e: NonNullable<Manifest['embeddings']>, slicer: TimeSlicer): Promise<IndexSnapshot['embeddings']> {
    const bytes = await this.readData(e.vectors, slicer);
    const keys = Buffer.from(await this.readData(e.keys, slicer)).toString('utf8').split('\n');
    const width = e.encoding === 'f16' ? 2 : 4;
    if (keys.length !== e.count || bytes.byteLength !== e.count * e.dimensions * width) throw corrupt(this.dir, 'embedding rows and keys disagree');
    let vectors: Uint16Array;
    if (e.encoding === 'f16') {
      vectors = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    } else {
      const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      vectors = new Uint16Array(floats.length);
      for (let i = 0; i < floats.length; i++) {
        vectors[i] = toHalf(floats[i]!);
        if ((i & 65535) === 65535) await slicer.tick();
      }
    }
    const table: NonNullable<IndexSnapshot['embeddings']> = { modelKey: e.modelKey, dimensions: e.dimensions, hashes: keys, vectors };
    if (e.codes && e.codeVersion !== undefined) {
      const codeBytes = await this.readData(e.codes, slicer);
      table.codes = new Uint32Array(codeBytes.buffer, codeBytes.byteOffset, Math.floor(codeBytes.byteLength / 4));
      table.codeVersion = e.codeVersion;
    }
    return table;
  }

  private async writeData(name: string, pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<DataFile> {
    const path = join(this.dir, name);
    const tmp = `${path}.tmp`;
    const hash = createHash('sha256');
    let bytes = 0;
    const handle = await open(tmp, 'w');
    try {
      for await (const piece of pieces) {
        for (let at = 0; at < piece.byteLength; at += PIECE) {
          const part = piece.subarray(at, at + PIECE);
          hash.update(part);
          await handle.write(part);
          bytes += part.byteLength;
        }
      }
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    return { name, bytes, sha256: hash.digest('hex') };
  }

  /** A data file's bytes in a fresh buffer (offset 0, so typed-array views are aligned), checked. */
  private async readData(file: DataFile, slicer: TimeSlicer): Promise<Uint8Array> {
    if (!file || typeof file.name !== 'string' || !DATA_FILE.test(file.name)) throw corrupt(this.dir, `bad data file name ${JSON.stringify(file?.name)}`);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(join(this.dir, file.name), 'r');
    } catch {
      throw corrupt(this.dir, `${file.name} is missing`);
    }
    try {
      const size = (await handle.stat()).size;
      if (size !== file.bytes) throw corrupt(this.dir, `${file.name} has ${size} bytes, expected ${file.bytes}`);
      const bytes = new Uint8Array(size);
      const hash: Hash = createHash('sha256');
      for (let at = 0; at < size; ) {
        const { bytesRead } = await handle.read(bytes, at, Math.min(PIECE, size - at), at);
        if (bytesRead === 0) throw corrupt(this.dir, `${file.name} ended early`);
        hash.update(bytes.subarray(at, at + bytesRead));
        at += bytesRead;
        await slicer.tick();
      }
      if (hash.digest('hex') !== file.sha256) throw corrupt(this.dir, `${file.name} does not match its checksum`);
      return bytes;
    } finally {
      await handle.close();
    }
  }

  private async removeOtherGenerations(keep: string): Promise<void> {
    for (const name of await readdir(this.dir)) {
      const m = DATA_FILE.exec(name) ?? /^manifest\.json\.(.+)\.tmp$/.exec(name);
      if (!m) continue;
      const generation = m.length > 2 ? m[2] : m[1];
      if (generation === keep) continue;
      await rm(join(this.dir, name), { force: true }).catch((err: unknown) => this.logger?.warn(`could not remove old index file ${name}: ${String(err)}`));
    }
  }
}
