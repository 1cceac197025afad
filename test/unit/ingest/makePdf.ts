/**
 * Writes small, valid PDF files for tests: one Helvetica text object per page, with a real xref
 * table, so pdf.js reads them without recovery. Lines are WinAnsi (ASCII in practice).
 */

export interface PdfSpec {
  /** Each page is a list of lines; an empty string leaves a blank line (a paragraph gap). */
  pages: string[][];
  /** Written to the document information dictionary. */
  title?: string;
  /** Adds a Standard security handler that needs a user password (pdf.js cannot open it). */
  encrypted?: boolean;
}

function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** Builds the bytes of a PDF that draws the given lines, top to bottom, 14 pt apart. */
export function makePdf(spec: PdfSpec): Uint8Array {
  const objects: string[] = [];
  const add = (body: string): number => {
    objects.push(body);
    return objects.length;
  };
  const catalog = add('');
  const pages = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const lines of spec.pages) {
    const ops = ['BT', '/F1 11 Tf', '14 TL', '72 760 Td'];
    for (const line of lines) ops.push(line === '' ? 'T*' : `${pdfString(line)} Tj T*`);
    ops.push('ET');
    const stream = ops.join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent ${pages} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pages} 0 R >>`;
  objects[pages - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const info = spec.title === undefined ? undefined : add(`<< /Title ${pdfString(spec.title)} /Producer (makePdf) >>`);
  const encrypt = spec.encrypted
    ? add(`<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -44 >>`)
    : undefined;

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  const id = `<${'0123456789abcdef'.repeat(2)}>`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R`;
  if (info !== undefined) out += ` /Info ${info} 0 R`;
  if (encrypt !== undefined) out += ` /Encrypt ${encrypt} 0 R`;
  out += ` /ID [${id} ${id}] >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
