/**
 * The small binary part of a snapshot (each chunk's vector row and the text index without its
 * segmented arrays, which are files of their own) as bytes, without copying the arrays into one
 * buffer: `encodeIndexParts` returns pieces to write one after another; `decodeIndexParts` returns
 * views into the bytes read back. Layout:
 *   "BDIX" | u32 layout version | u32 header bytes | header JSON | pad to 8 | sections, each padded to 8
 * Little-endian only (every platform VS Code runs on); a big-endian host reads it as unusable.
 */
import { BedrockDocsError } from '../errors';
import type { TextIndexState } from './textIndexState';

const MAGIC = 0x58494442; // "BDIX" read as a little-endian u32
const LAYOUT_VERSION = 1;

type SectionType = 'u32' | 'i32' | 'u16' | 'lines';

interface SectionHeader {
  name: string;
  type: SectionType;
  offset: number;
  bytes: number;
}

interface Header {
  sections: SectionHeader[];
  textIndex?: { version: number; docCount: number };
}

/** The text index without its segmented arrays. */
export type TextIndexHead = Omit<TextIndexState, 'postingDocs' | 'postingTfs' | 'pairs'>;

/** What the binary part holds; each field is optional. */
export interface IndexParts {
  chunkVectors?: Int32Array;
  textIndex?: TextIndexHead;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const pad8 = (n: number): number => (8 - (n % 8)) % 8;

function bytesOf(array: Uint32Array | Int32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** The pieces of the binary part, in file order; their total length is the file's size. */
export function encodeIndexParts(parts: IndexParts): Uint8Array[] {
  const sections: Array<{ name: string; type: SectionType; data: Uint8Array }> = [];
  if (parts.chunkVectors) sections.push({ name: 'chunkVectors', type: 'i32', data: bytesOf(parts.chunkVectors) });
  const t = parts.textIndex;
  if (t) {
    sections.push({ name: 'terms', type: 'lines', data: new TextEncoder().encode(t.terms.join('\n')) });
    sections.push({ name: 'termOffsets', type: 'u32', data: bytesOf(t.termOffsets) });
    sections.push({ name: 'fieldLengths', type: 'u16', data: bytesOf(t.fieldLengths) });
    sections.push({ name: 'pairOffsets', type: 'u32', data: bytesOf(t.pairOffsets) });
  }
  // Section offsets are relative to the end of the padded header, so the header can hold them.
  let offset = 0;
  const headers: SectionHeader[] = sections.map((s) => {
    const h = { name: s.name, type: s.type, offset, bytes: s.data.byteLength };
    offset += s.data.byteLength + pad8(s.data.byteLength);
    return h;
  });
  const header: Header = { sections: headers, ...(t ? { textIndex: { version: t.version, docCount: t.docCount } } : {}) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(12 + json.byteLength + pad8(12 + json.byteLength));
  const view = new DataView(head.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, LAYOUT_VERSION, true);
  view.setUint32(8, json.byteLength, true);
  head.set(json, 12);
  const out: Uint8Array[] = [head];
  for (const s of sections) {
    out.push(s.data);
    const padding = pad8(s.data.byteLength);
    if (padding > 0) out.push(new Uint8Array(padding));
  }
  return out;
}

function unusable(why: string): BedrockDocsError {
  return new BedrockDocsError('INDEX_CORRUPT', `the saved index data is unusable: ${why}`, 'It is rebuilt automatically.');
}

/** Reads the binary part back; `bytes` must start at a multiple of 8 of its buffer (a fresh buffer does). */
export function decodeIndexParts(bytes: Uint8Array): IndexParts {
  if (!littleEndian) throw unusable('this machine is big-endian');
  if (bytes.byteLength < 12 || bytes.byteOffset % 8 !== 0) throw unusable('too short or misaligned');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw unusable('not an index data file');
  if (view.getUint32(4, true) !== LAYOUT_VERSION) throw unusable(`layout ${view.getUint32(4, true)} is not ${LAYOUT_VERSION}`);
  const jsonBytes = view.getUint32(8, true);
  if (12 + jsonBytes > bytes.byteLength) throw unusable('header runs past the end');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonBytes))) as Header;
  } catch {
    throw unusable('header is not JSON');
  }
  const base = 12 + jsonBytes + pad8(12 + jsonBytes);
  const found = new Map<string, SectionHeader>();
  for (const s of header.sections ?? []) {
    const width = s.type === 'u16' ? 2 : s.type === 'lines' ? 1 : 4;
    if (
      !Number.isInteger(s.offset) ||
      !Number.isInteger(s.bytes) ||
      s.offset < 0 ||
      s.bytes % width !== 0 ||
      base + s.offset + s.bytes > bytes.byteLength
    ) {
      throw unusable(`section ${s.name} is out of bounds`);
    }
    found.set(s.name, s);
  }
  const section = <T>(name: string, make: (buffer: ArrayBufferLike, offset: number, bytes: number) => T): T => {
    const s = found.get(name);
    if (!s) throw unusable(`section ${name} is missing`);
    return make(bytes.buffer, bytes.byteOffset + base + s.offset, s.bytes);
  };
  const u32 = (name: string) => section(name, (b, o, n) => new Uint32Array(b, o, n / 4));
  const parts: IndexParts = {};
  if (found.has('chunkVectors')) parts.chunkVectors = section('chunkVectors', (b, o, n) => new Int32Array(b, o, n / 4));
  if (header.textIndex) {
    const text = section('terms', (b, o, n) => new TextDecoder().decode(new Uint8Array(b, o, n)));
    parts.textIndex = {
      version: header.textIndex.version,
      docCount: header.textIndex.docCount,
      terms: text === '' ? [] : text.split('\n'),
      termOffsets: u32('termOffsets'),
      fieldLengths: section('fieldLengths', (b, o, n) => new Uint16Array(b, o, n / 2)),
      pairOffsets: u32('pairOffsets'),
    };
  }
  return parts;
}
