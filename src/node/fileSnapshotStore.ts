/**
 * Index snapshots on disk, in our own format (Orama's persistence plugin fails on large indexes:
 * shared/reference/orama-facts.md):
 *   manifest.json            versioned; names the data files of the current generation, with sizes and sha256
 *   chunks-<gen>.jsonl       one chunk record a line
 *   embeddings-<gen>.f32     raw little-endian float32 rows
 *   embeddings-<gen>.keys    the content hash of each row, one a line
 * Writes are atomic: data files are written under new names, then the manifest is replaced by
 * rename, then the previous generation is deleted. A crash at any point leaves either the old or
 * the new snapshot whole; anything inconsistent is reported as INDEX_CORRUPT and rebuilt.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chunk } from '../core/chunk';
import { BedrockDocsError } from '../core/errors';
import type { IndexSnapshot } from '../core/index/snapshot';
import type { Logger, SnapshotStore } from '../core/ports';

const FORMAT = 'bedrock-docs-index';
const MANIFEST = 'manifest.json';

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
  embeddings?: { modelKey: string; dimensions: number; count: number; vectors: DataFile; keys: DataFile };
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function corrupt(dir: string, why: string): BedrockDocsError {
  return new BedrockDocsError('INDEX_CORRUPT', `the saved index in ${dir} is unusable: ${why}`, 'It is rebuilt automatically.');
}

export class FileSnapshotStore implements SnapshotStore {
  constructor(
    readonly dir: string,
    private readonly logger?: Logger,
  ) {}

  async save(snapshot: IndexSnapshot): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const generation = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const chunksText = snapshot.chunks.map((c) => JSON.stringify(c)).join('\n');
    const chunks = await this.writeData(`chunks-${generation}.jsonl`, chunksText);
    let embeddings: Manifest['embeddings'];
    if (snapshot.embeddings && snapshot.embeddings.hashes.length > 0) {
      const e = snapshot.embeddings;
      const bytes = new Uint8Array(e.vectors.buffer, e.vectors.byteOffset, e.vectors.byteLength);
      embeddings = {
        modelKey: e.modelKey,
        dimensions: e.dimensions,
        count: e.hashes.length,
        vectors: await this.writeData(`embeddings-${generation}.f32`, bytes),
        keys: await this.writeData(`embeddings-${generation}.keys`, e.hashes.join('\n')),
      };
    }
    const manifest: Manifest = {
      format: FORMAT,
      version: snapshot.version,
      generation,
      chunkingFingerprint: snapshot.chunkingFingerprint,
      savedAt: snapshot.savedAt,
      files: snapshot.files,
      chunkCount: snapshot.chunks.length,
      chunks,
      ...(embeddings ? { embeddings } : {}),
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
    if (manifest.format !== FORMAT || typeof manifest.version !== 'number') throw corrupt(this.dir, 'manifest.json is not a bedrock-docs index manifest');
    const chunksText = (await this.readData(manifest.chunks)).toString('utf8');
    const chunks: Chunk[] = [];
    if (chunksText.length > 0) {
      for (const line of chunksText.split('\n')) {
        try {
          chunks.push(JSON.parse(line) as Chunk);
        } catch {
          throw corrupt(this.dir, `a chunk record in ${manifest.chunks.name} is not valid JSON`);
        }
      }
    }
    if (chunks.length !== manifest.chunkCount) throw corrupt(this.dir, `expected ${manifest.chunkCount} chunks, found ${chunks.length}`);
    let embeddings: IndexSnapshot['embeddings'];
    if (manifest.embeddings) {
      const e = manifest.embeddings;
      const vectorBytes = await this.readData(e.vectors);
      const keys = (await this.readData(e.keys)).toString('utf8').split('\n');
      if (keys.length !== e.count || vectorBytes.byteLength !== e.count * e.dimensions * 4) throw corrupt(this.dir, 'embedding rows and keys disagree');
      // Copy into an aligned buffer: a Buffer from readFile may start at any byte offset.
      const vectors = new Float32Array(e.count * e.dimensions);
      new Uint8Array(vectors.buffer).set(vectorBytes);
      embeddings = { modelKey: e.modelKey, dimensions: e.dimensions, hashes: keys, vectors };
    }
    return { version: manifest.version, chunkingFingerprint: manifest.chunkingFingerprint, savedAt: manifest.savedAt, files: manifest.files, chunks, ...(embeddings ? { embeddings } : {}) };
  }

  private async writeData(name: string, data: string | Uint8Array): Promise<DataFile> {
    const path = join(this.dir, name);
    const tmp = `${path}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
    return { name, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength, sha256: sha256(data) };
  }

  private async readData(file: DataFile): Promise<Buffer> {
    if (!/^[\w.-]+$/.test(file.name)) throw corrupt(this.dir, `bad data file name ${JSON.stringify(file.name)}`);
    const path = join(this.dir, file.name);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw corrupt(this.dir, `${file.name} is missing`);
    }
    if (size !== file.bytes) throw corrupt(this.dir, `${file.name} has ${size} bytes, expected ${file.bytes}`);
    if ((await fileSha256(path)) !== file.sha256) throw corrupt(this.dir, `${file.name} does not match its checksum`);
    return readFile(path);
  }

  private async removeOtherGenerations(keep: string): Promise<void> {
    for (const name of await readdir(this.dir)) {
      const m = /^(chunks|embeddings)-(.+?)\.(jsonl|f32|keys)(\.tmp)?$/.exec(name) ?? /^manifest\.json\.(.+)\.tmp$/.exec(name);
      if (!m) continue;
      const generation = m.length > 2 ? m[2] : m[1];
      if (generation === keep) continue;
      await rm(join(this.dir, name), { force: true }).catch((err: unknown) => this.logger?.warn(`could not remove old index file ${name}: ${String(err)}`));
    }
  }
}
