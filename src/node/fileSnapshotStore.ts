/**
 * Index snapshots on disk, in our own format (Orama's persistence plugin fails on large indexes:
 * shared/reference/orama-facts.md):
 *   manifest.json            versioned; names the data files of the current generation, with sizes and sha256
 *   chunks-<gen>.jsonl       one chunk record a line
 *   embeddings-<gen>.f16     raw little-endian float16 rows (version 1 wrote float32 `.f32`: still read)
 *   embeddings-<gen>.keys    the content hash of each row, one a line
 *   embeddings-<gen>.sig     each row's SimHash code (u32 words), for the vector pre-scan
 *   index-<gen>.bin          each chunk's embedding row, the text index's terms and small arrays (core/index/snapshotCodec.ts)
 *   text-<gen>.docs|.tfs|.pairs  the text index's postings and pair hashes (u32, in 4 MB segments)
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
import { EMBEDDING_SEGMENT_ROWS, SNAPSHOT_VERSION } from '../core/index/snapshot';
import { SEGMENT_ENTRIES } from '../core/index/segments';
import { decodeIndexParts, encodeIndexParts } from '../core/index/snapshotCodec';
import type { Logger, SnapshotStore } from '../core/ports';

const FORMAT = 'bedrock-docs-index';
const MANIFEST = 'manifest.json';
// Bytes hashed and written (or read) per step: ~4 ms of sha256.
const PIECE = 4 << 20;
const CHUNKS_PER_PIECE = 1000;
const DATA_FILE = /^(chunks|embeddings|index|text)-(.+?)\.(jsonl|f16|f32|keys|sig|bin|docs|tfs|pairs)(\.tmp)?$/;

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
  embeddings?: {
    modelKey: string;
    dimensions: number;
    count: number;
    encoding?: 'f16';
    vectors: DataFile;
    keys: DataFile;
    codes?: DataFile;
    codeVersion?: number;
  };
  index?: DataFile;
  /** The text index's segmented arrays (with `index`). */
  text?: { postingDocs: DataFile; postingTfs: DataFile; pairs: DataFile };
}

function corrupt(dir: string, why: string): BedrockDocsError {
  return new BedrockDocsError('INDEX_CORRUPT', `the saved index in ${dir} is unusable: ${why}`, 'It is rebuilt automatically.');
}

function bytesOf(array: Uint16Array | Uint32Array | Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function isChunk(value: unknown): value is Chunk {
  const c = value as Partial<Chunk> | null;
  return (
    !!c &&
    typeof c.id === 'string' &&
    typeof c.path === 'string' &&
    typeof c.text === 'string' &&
    typeof c.fileType === 'string' &&
    typeof c.title === 'string' &&
    Array.isArray(c.breadcrumb) &&
    typeof c.startLine === 'number' &&
    typeof c.endLine === 'number'
  );
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
        vectors: await this.writeData(`embeddings-${generation}.f16`, e.vectors.map(bytesOf)),
        keys: await this.writeData(`embeddings-${generation}.keys`, [Buffer.from(e.hashes.join('\n'))]),
        ...(e.codes && e.codeVersion !== undefined
          ? { codes: await this.writeData(`embeddings-${generation}.sig`, e.codes.map(bytesOf)), codeVersion: e.codeVersion }
          : {}),
      };
    }
    const t = snapshot.textIndex;
    const index =
      snapshot.chunkVectors || t
        ? await this.writeData(`index-${generation}.bin`, encodeIndexParts({ chunkVectors: snapshot.chunkVectors, textIndex: t }))
        : undefined;
    const text = t
      ? {
          postingDocs: await this.writeData(`text-${generation}.docs`, t.postingDocs.map(bytesOf)),
          postingTfs: await this.writeData(`text-${generation}.tfs`, t.postingTfs.map(bytesOf)),
          pairs: await this.writeData(`text-${generation}.pairs`, t.pairs.map(bytesOf)),
        }
      : undefined;
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
      ...(text ? { text } : {}),
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
    const snapshot: IndexSnapshot = {
      version: manifest.version,
      chunkingFingerprint: manifest.chunkingFingerprint,
      savedAt: manifest.savedAt,
      files: manifest.files,
      chunks: [],
    };
    if (manifest.embeddingTextKey !== undefined) snapshot.embeddingTextKey = manifest.embeddingTextKey;
    if (manifest.embeddings) snapshot.embeddings = await this.readEmbeddings(manifest.embeddings, slicer);
    // Another layout: only the embeddings are of use (the Indexer rebuilds the rest).
    if (manifest.version !== SNAPSHOT_VERSION) return snapshot;
    snapshot.chunks = await this.readChunks(manifest.chunks, slicer);
    if (snapshot.chunks.length !== manifest.chunkCount)
      throw corrupt(this.dir, `expected ${manifest.chunkCount} chunks, found ${snapshot.chunks.length}`);
    if (manifest.index) {
      try {
        const parts = decodeIndexParts(await this.readData(manifest.index, slicer));
        if (parts.chunkVectors) snapshot.chunkVectors = parts.chunkVectors;
        if (parts.textIndex && manifest.text) {
          const segments = (file: DataFile) => this.readSegments(file, slicer);
          snapshot.textIndex = {
            ...parts.textIndex,
            postingDocs: await segments(manifest.text.postingDocs),
            postingTfs: await segments(manifest.text.postingTfs),
            pairs: await segments(manifest.text.pairs),
          };
        }
      } catch (err) {
        // The chunks are whole: the text index is rebuilt from them and vectors found by hash.
        this.logger?.warn(`index data unusable, rebuilding it from the chunks: ${describeError(err)}`);
      }
    }
    return snapshot;
  }

  private async readChunks(file: DataFile, slicer: TimeSlicer): Promise<Chunk[]> {
    const chunks: Chunk[] = [];
    let carry: Buffer | undefined;
    const parseLine = (text: Buffer, from: number, to: number): void => {
      let chunk: unknown;
      try {
        chunk = JSON.parse(text.toString('utf8', from, to));
      } catch {
        throw corrupt(this.dir, `a chunk record in ${file.name} is not valid JSON`);
      }
      if (!isChunk(chunk)) throw corrupt(this.dir, `a chunk record in ${file.name} is not a chunk`);
      chunks.push(chunk);
    };
    // Lines are parsed piece by piece; a line cut by a piece boundary is carried to the next one.
    await this.readPieces(
      file,
      () => PIECE,
      async (piece) => {
        const text = carry ? Buffer.concat([carry, piece]) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        let pos = 0;
        for (let end = text.indexOf(10, pos); end >= 0; end = text.indexOf(10, pos)) {
          parseLine(text, pos, end);
          pos = end + 1;
          if ((chunks.length & 255) === 0) await slicer.tick();
        }
        carry = pos < text.length ? text.subarray(pos) : undefined;
      },
      slicer,
    );
    if (carry && carry.length > 0) parseLine(carry, 0, carry.length);
    return chunks;
  }

  private async readEmbeddings(e: NonNullable<Manifest['embeddings']>, slicer: TimeSlicer): Promise<IndexSnapshot['embeddings']> {
    const keys = Buffer.from(await this.readData(e.keys, slicer))
      .toString('utf8')
      .split('\n');
    const width = e.encoding === 'f16' ? 2 : 4;
    if (keys.length !== e.count || e.vectors.bytes !== e.count * e.dimensions * width)
      throw corrupt(this.dir, 'embedding rows and keys disagree');
    const segmentBytes = EMBEDDING_SEGMENT_ROWS * e.dimensions * width;
    const vectors: Uint16Array[] = [];
    await this.readPieces(
      e.vectors,
      () => segmentBytes,
      async (piece) => {
        if (width === 2) {
          vectors.push(new Uint16Array(piece.buffer, piece.byteOffset, piece.byteLength / 2));
          return;
        }
        const floats = new Float32Array(piece.buffer, piece.byteOffset, piece.byteLength / 4);
        const half = new Uint16Array(floats.length);
        for (let i = 0; i < floats.length; i++) {
          half[i] = toHalf(floats[i]!);
          if ((i & 65535) === 65535) await slicer.tick();
        }
        vectors.push(half);
      },
      slicer,
    );
    const table: NonNullable<IndexSnapshot['embeddings']> = { modelKey: e.modelKey, dimensions: e.dimensions, hashes: keys, vectors };
    const words = Math.ceil(e.dimensions / 32);
    if (e.codes && e.codeVersion !== undefined && e.codes.bytes === e.count * words * 4) {
      const codes: Uint32Array[] = [];
      await this.readPieces(
        e.codes,
        () => EMBEDDING_SEGMENT_ROWS * words * 4,
        (piece) => void codes.push(new Uint32Array(piece.buffer, piece.byteOffset, piece.byteLength / 4)),
        slicer,
      );
      table.codes = codes;
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

  /** A u32 data file as segments of SEGMENT_ENTRIES (core/index/segments.ts). */
  private async readSegments(file: DataFile, slicer: TimeSlicer): Promise<Uint32Array[]> {
    const segments: Uint32Array[] = [];
    await this.readPieces(
      file,
      () => SEGMENT_ENTRIES * 4,
      (piece) => void segments.push(new Uint32Array(piece.buffer, piece.byteOffset, Math.floor(piece.byteLength / 4))),
      slicer,
    );
    return segments.length > 0 ? segments : [new Uint32Array(0)];
  }

  /** A data file's bytes in one fresh buffer (offset 0, so typed-array views are aligned), checked. */
  private async readData(file: DataFile, slicer: TimeSlicer): Promise<Uint8Array> {
    const pieces: Uint8Array[] = [];
    await this.readPieces(
      file,
      (at) => file.bytes - at,
      (piece) => void pieces.push(piece),
      slicer,
    );
    return pieces[0] ?? new Uint8Array(0);
  }

  /**
   * Reads a data file in fresh buffers of `size(offset)` bytes (the consumer may keep them), checks
   * its size first and its sha256 at the end: a consumer must drop what it built when this throws.
   */
  private async readPieces(
    file: DataFile,
    size: (offset: number) => number,
    consume: (piece: Uint8Array) => void | Promise<void>,
    slicer: TimeSlicer,
  ): Promise<void> {
    this.checkName(file);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(join(this.dir, file.name), 'r');
    } catch {
      throw corrupt(this.dir, `${file.name} is missing`);
    }
    try {
      const total = (await handle.stat()).size;
      if (total !== file.bytes) throw corrupt(this.dir, `${file.name} has ${total} bytes, expected ${file.bytes}`);
      const hash: Hash = createHash('sha256');
      for (let at = 0; at < total;) {
        const piece = new Uint8Array(Math.max(1, Math.min(size(at), total - at)));
        for (let filled = 0; filled < piece.byteLength;) {
          const { bytesRead } = await handle.read(piece, filled, Math.min(PIECE, piece.byteLength - filled), at + filled);
          if (bytesRead === 0) throw corrupt(this.dir, `${file.name} ended early`);
          hash.update(piece.subarray(filled, filled + bytesRead));
          filled += bytesRead;
          await slicer.tick();
        }
        at += piece.byteLength;
        await consume(piece);
      }
      if (hash.digest('hex') !== file.sha256) throw corrupt(this.dir, `${file.name} does not match its checksum`);
    } finally {
      await handle.close();
    }
  }

  private checkName(file: DataFile): void {
    if (!file || typeof file.name !== 'string' || !DATA_FILE.test(file.name))
      throw corrupt(this.dir, `bad data file name ${JSON.stringify(file?.name)}`);
  }

  private async removeOtherGenerations(keep: string): Promise<void> {
    for (const name of await readdir(this.dir)) {
      const m = DATA_FILE.exec(name) ?? /^manifest\.json\.(.+)\.tmp$/.exec(name);
      if (!m) continue;
      const generation = m.length > 2 ? m[2] : m[1];
      if (generation === keep) continue;
      await rm(join(this.dir, name), { force: true }).catch((err: unknown) =>
        this.logger?.warn(`could not remove old index file ${name}: ${String(err)}`),
      );
    }
  }
}
