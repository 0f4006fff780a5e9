import { deflateSync } from "node:zlib";
import JSZip from "jszip";
import { PDFDocument, StandardFonts } from "pdf-lib";

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const DATE = new Date(Date.UTC(2024, 4, 6, 8, 30, 0));

async function zipOf(files: Record<string, string>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, text] of Object.entries(files)) {
    zip.file(name, text, { date: DATE, createFolders: false });
  }
  return await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** A small Word document with one picture already (docPr id 3) and a body sectPr. */
export function makeDocx(): Promise<Uint8Array> {
  return zipOf({
    "[Content_Types].xml": HEAD +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": HEAD + `<Relationships xmlns="${RELS_NS}">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    "word/document.xml": HEAD +
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">' +
      "<w:body><w:p><w:r><w:t>Minutes of the meeting</w:t></w:r></w:p>" +
      '<w:p><w:r><w:drawing><wp:inline><wp:docPr id="3" name="Logo"/></wp:inline></w:drawing></w:r></w:p>' +
      '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>',
    "word/_rels/document.xml.rels": HEAD + `<Relationships xmlns="${RELS_NS}">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>' +
      "</Relationships>",
  });
}

/** A small Excel workbook. */
export function makeXlsx(): Promise<Uint8Array> {
  return zipOf({
    "[Content_Types].xml": HEAD +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    "_rels/.rels": HEAD + `<Relationships xmlns="${RELS_NS}">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": HEAD +
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": HEAD + `<Relationships xmlns="${RELS_NS}">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      "</Relationships>",
    "xl/worksheets/sheet1.xml": HEAD +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>',
  });
}

/** A one-page PDF with text. */
export async function makePdf(pages = 1, padding = 0): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    doc.addPage().drawText(`Page ${i + 1} ${"x".repeat(padding)}`, {
      x: 50,
      y: 700,
      size: 12,
      font,
    });
  }
  return await doc.save({ useObjectStreams: false });
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const td = new Uint8Array(4 + data.length);
  td.set(new TextEncoder().encode(type));
  td.set(data, 4);
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(td, 4);
  view.setUint32(8 + data.length, crc32(td));
  return out;
}

/** A 4x3 RGB PNG. */
export function makePng(): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, 4);
  v.setUint32(4, 3);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = new Uint8Array(3 * (1 + 4 * 3)).map((_, i) => (i % 13 === 0 ? 0 : (i * 37) & 255));
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Committed small JPEG and GIF fixtures. */
export async function readImageFixture(name: "tiny.jpg" | "tiny.gif"): Promise<Uint8Array> {
  return await Deno.readFile(new URL(`../testdata/canary/${name}`, import.meta.url));
}
