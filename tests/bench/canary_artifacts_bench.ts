/**
 * Canary artifact throughput: artifacts per second per generator, and
 * instrumenting a 5 MiB DOCX and a 5 MiB PDF. Prints one line per figure.
 */
import JSZip from "jszip";
import { PDFDocument } from "pdf-lib";
import { GENERATOR_TABLE, instrumentUpload } from "../../canary/mod.ts";
import type { CanaryContext } from "../../canary/mod.ts";
import { printLine } from "../../core/log/mod.ts";
import { makePdf } from "../canary/_office_fixtures.ts";

const SLUG_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function context(i: number): CanaryContext {
  let slug = "";
  for (let k = 0; k < 22; k++) slug += SLUG_CHARS[(i * 7 + k * 13 + (i >> k % 8)) % 62];
  return {
    slug,
    httpBase: "https://cdn.example.net",
    dnsZone: "t.example.net",
    persona: { os: "linux" },
    issuedAt: "2026-03-10T12:00:00Z",
  };
}

for (const [name, generator] of GENERATOR_TABLE) {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1500) await generator.generate(context(n++));
  const seconds = (performance.now() - start) / 1000;
  printLine(`generate ${name.padEnd(14)} ${(n / seconds).toFixed(0).padStart(7)} artifacts/s`);
}

async function bigDocx(): Promise<Uint8Array> {
  const zip = new JSZip();
  const date = new Date(Date.UTC(2024, 0, 1));
  const paragraphs: string[] = [];
  // Incompressible-ish text so the archive really is ~5 MiB.
  let length = 0;
  while (length < 6.6 * 1024 * 1024) {
    const t = [...crypto.getRandomValues(new Uint8Array(400))].map((b) => SLUG_CHARS[b % 62])
      .join("");
    paragraphs.push(`<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`);
    length += t.length;
  }
  zip.file(
    "[Content_Types].xml",
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    { date, createFolders: false },
  );
  zip.file(
    "word/document.xml",
    `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${
      paragraphs.join("")
    }<w:sectPr/></w:body></w:document>`,
    { date, createFolders: false },
  );
  zip.file(
    "word/_rels/document.xml.rels",
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>',
    { date, createFolders: false },
  );
  return await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** A 40-page PDF carrying 5 MiB of incompressible data (as scanned images would). */
async function bigPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await makePdf(40, 200), { updateMetadata: false });
  const data = new Uint8Array(5 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
  await doc.attach(data, "scan.bin", { mimeType: "application/octet-stream" });
  return await doc.save();
}

for (
  const [label, bytes, filename] of [
    ["DOCX", await bigDocx(), "big.docx"],
    ["PDF", await bigPdf(), "big.pdf"],
  ] as const
) {
  const runs = 5;
  const start = performance.now();
  for (let i = 0; i < runs; i++) await instrumentUpload(bytes, context(i), { filename });
  const ms = (performance.now() - start) / runs;
  printLine(
    `instrument ${label} ${(bytes.length / 1024 / 1024).toFixed(1)} MiB: ${
      ms.toFixed(0)
    } ms per file`,
  );
}
