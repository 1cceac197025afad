/**
 * PDF text with unpdf (pdf.js): one section per page, lines rebuilt from text items, a blank line
 * where the vertical gap between lines is larger than the page's usual line spacing (a paragraph).
 * The document text is the pages joined by a line holding only a form feed ('\n\f\n'), so chunk
 * lines are lines of that extracted text and a chunk never spans two pages.
 */
import type { getDocumentProxy as GetDocumentProxy } from 'unpdf';
import { BedrockDocsError } from '../errors';
import { badInput } from './decodeText';
import { LineIndex } from './lineIndex';
import type { Block, ParsedDocument, Section } from './parsedDocument';
import { paragraphBlocks } from './parsePlainText';

const NOT_PDF_HINT = 'Rename the file if it is not a PDF, or leave it out with bedrockDocs.index.exclude.';
const PAGE_SEPARATOR = '\n\f\n';

interface PdfLine {
  text: string;
  y: number;
  height: number;
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
  transform?: number[];
  height?: number;
}

/** True when the bytes carry the `%PDF-` signature in the first 1 KiB, as readers require. */
export function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

function pageLines(items: TextItemLike[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let text = '';
  let y: number | undefined;
  let height = 0;
  const end = (): void => {
    if (text.trim() !== '' || y !== undefined) lines.push({ text: text.trimEnd(), y: y ?? 0, height });
    text = '';
    y = undefined;
    height = 0;
  };
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    if (item.str !== '') {
      y ??= item.transform?.[5] ?? 0;
      height = Math.max(height, item.height ?? 0);
      text += item.str;
    }
    if (item.hasEOL) end();
  }
  end();
  return lines.filter((l) => l.text !== '');
}

/** Page text with a blank line wherever the gap to the previous line is paragraph-sized. */
function pageText(lines: PdfLine[]): string {
  const gaps = lines
    .slice(1)
    .map((l, i) => (lines[i] as PdfLine).y - l.y)
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  const usual = gaps[Math.floor(gaps.length / 2)] ?? 0;
  const out: string[] = [];
  lines.forEach((line, i) => {
    const prev = lines[i - 1];
    if (prev) {
      const gap = prev.y - line.y;
      const paragraph = gap < 0 || (usual > 0 && gap > usual * 1.6) || (line.height > 0 && gap > line.height * 2.2);
      if (paragraph) out.push('');
    }
    out.push(line.text);
  });
  return out.join('\n');
}

function readError(err: unknown): BedrockDocsError {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'PasswordException')
    return badInput('encrypted PDF (needs a password)', 'Save an unencrypted copy of the PDF to index it.', err);
  if (name === 'InvalidPDFException') return badInput('corrupt PDF (invalid structure)', undefined, err);
  const message = err instanceof Error ? err.message : String(err);
  return badInput(`unreadable PDF (${message.slice(0, 120)})`, undefined, err);
}

/** A PDF's text by page and its title: what pdf.js gives; the rest of parsing is pure. */
export interface PdfPages {
  title?: string;
  pages: string[];
}

/** Extracts page texts with pdf.js; a replaceable step (the extension runs it in a worker thread). */
export type PdfExtractor = (bytes: Uint8Array, signal?: AbortSignal) => Promise<PdfPages>;

/** Extracts a PDF's text by page in this thread. Throws BAD_INPUT for non-PDF, encrypted or corrupt files. */
export async function extractPdfPages(bytes: Uint8Array, signal?: AbortSignal): Promise<PdfPages> {
  if (!hasPdfHeader(bytes)) throw badInput('not a PDF (no %PDF header)', NOT_PDF_HINT);
  let pdf: Awaited<ReturnType<typeof GetDocumentProxy>> | undefined;
  try {
    // Loaded on first use: pdf.js is 1.6 MB, and the extension host reads PDFs in a worker thread.
    const { getDocumentProxy } = await import('unpdf');
    // A copy: pdf.js may take over (detach) the buffer it is given.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
  } catch (err) {
    throw readError(err);
  }
  try {
    let title: string | undefined;
    try {
      const meta = await pdf.getMetadata();
      const raw = (meta.info as Record<string, unknown> | undefined)?.Title;
      if (typeof raw === 'string' && raw.trim() !== '') title = raw.trim();
    } catch {
      // Metadata is optional: a broken Info dictionary does not make the text unreadable.
    }
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      if (signal?.aborted) throw new BedrockDocsError('CANCELLED', 'PDF reading was cancelled', undefined, { cause: signal.reason });
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pages.push(pageText(pageLines(content.items as TextItemLike[])));
      page.cleanup();
    }
    return { ...(title ? { title } : {}), pages };
  } catch (err) {
    if (err instanceof BedrockDocsError) throw err;
    throw readError(err);
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

/** Extracts a PDF's text by page. Throws BAD_INPUT for non-PDF, encrypted, corrupt or text-less files. */
export async function parsePdf(bytes: Uint8Array, signal?: AbortSignal, extract: PdfExtractor = extractPdfPages): Promise<ParsedDocument> {
  if (!hasPdfHeader(bytes)) throw badInput('not a PDF (no %PDF header)', NOT_PDF_HINT);
  const { title, pages } = await extract(bytes, signal);
  if (pages.every((p) => p.trim() === '')) {
    throw badInput(
      'PDF has no extractable text (scanned pages need OCR first)',
      'Run OCR on the PDF to add a text layer, or leave it out with bedrockDocs.index.exclude.',
    );
  }
  const text = pages.join(PAGE_SEPARATOR);
  const lines = new LineIndex(text);
  const sections: Section[] = [];
  const blocks: Block[] = [];
  let line = 0;
  pages.forEach((pageText, i) => {
    const count = pageText.split('\n').length;
    sections.push({ breadcrumb: [], page: i + 1 });
    blocks.push(...paragraphBlocks(lines, line, line + count, i));
    line += count + 1; // the form-feed line
  });
  return { text, title, sections, blocks, lineAt: (offset) => lines.lineOf(offset) + 1 };
}
