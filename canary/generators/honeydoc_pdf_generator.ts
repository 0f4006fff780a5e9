import type { CanaryContext } from "../canary_context.ts";
import { artifactDates } from "../artifact_dates.ts";
import { callbackUrl } from "../callback_url.ts";
import { homePath } from "../home_path.ts";
import { resolvePersona } from "../resolve_persona.ts";
import type { Artifact, Generator } from "./artifact.ts";
import { datedArtifact } from "./_dated_artifact.ts";
import { reportText } from "./_report_text.ts";
import { requireContext } from "./_require_context.ts";

const PRODUCER = "Microsoft\u00ae Word for Microsoft 365";

/** Splits text into lines no wider than `width` at `size` points. */
function wrap(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (measure(next) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * `text` with every character the standard fonts cannot draw (they speak
 * WinAnsi only: Greek, CJK, emoji, control characters) replaced by its base
 * letter when it has one in the set, else "?", where pdf-lib would throw.
 */
function winAnsiText(text: string, charset: number[]): string {
  const known = new Set(charset);
  return [...text].map((ch) => {
    if (known.has(ch.codePointAt(0)!)) return ch;
    const base = ch.normalize("NFD")[0];
    return known.has(base.codePointAt(0)!) ? base : "?";
  }).join("");
}

/** A PDF report with real text whose /OpenAction is a /URI action to the callback. */
export const honeydocPdfGenerator: Generator = {
  name: "honeydoc_pdf",
  kind: "http",
  needs: ["http_base"],
  description: "PDF report whose open action requests the HTTP callback",
  async generate(context: CanaryContext): Promise<Artifact> {
    requireContext(context, this);
    const persona = resolvePersona(context);
    const report = reportText(context, "pdf");
    const dates = artifactDates(context, "honeydoc_pdf");
    // Loaded on first use: the library is large and most workers never build this format.
    const { PDFDocument, PDFName, PDFString, StandardFonts } = await import("pdf-lib");
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.setTitle(report.title);
    doc.setAuthor(persona.name);
    doc.setCreator(PRODUCER);
    doc.setProducer(PRODUCER);
    doc.setCreationDate(dates.createdAt);
    doc.setModificationDate(dates.modifiedAt);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    const [width, height, margin] = [595.28, 841.89, 64];
    let page = doc.addPage([width, height]);
    let y = height - margin;
    const write = (text: string, size: number, f = font) => {
      const drawable = winAnsiText(text, f.getCharacterSet());
      for (const line of wrap(drawable, width - 2 * margin, (s) => f.widthOfTextAtSize(s, size))) {
        if (y < margin + size) {
          page = doc.addPage([width, height]);
          y = height - margin;
        }
        page.drawText(line, { x: margin, y, size, font: f });
        y -= size * 1.4;
      }
      y -= size * 0.6;
    };
    write(report.title, 20, bold);
    write(`Prepared by ${persona.name}`, 10);
    for (const p of report.paragraphs) write(p, 11);
    for (const row of report.table) {
      write(row.join("    "), 10, row === report.table[0] ? bold : font);
    }
    doc.catalog.set(
      PDFName.of("OpenAction"),
      doc.context.obj({ Type: "Action", S: "URI", URI: PDFString.of(callbackUrl(context)) }),
    );
    const bytes = await doc.save({ useObjectStreams: false });
    return datedArtifact(honeydocPdfGenerator, dates, {
      defaultPath: homePath(persona, [...report.folder, `${report.baseName}.pdf`]),
      bytes,
      mode: 0o644,
      mime: "application/pdf",
      notes: "Readers that honour the open action request the callback (many ask first).",
    });
  },
};
