import type { CanaryContext } from "../canary_context.ts";
import { callbackUrl } from "../callback_url.ts";
import { externalImageParagraph, externalImageRelationship } from "../_docx_drawing.ts";
import { InstrumentError } from "./instrument_error.ts";
import type { Instrumenter } from "./instrumenter.ts";
import {
  addRelationship,
  archiveDate,
  loadOfficeZip,
  readPart,
  saveZip,
  writePart,
} from "./_zip_part.ts";

const EMPTY_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';

/**
 * DOCX: adds an external image relationship (a free rId) and a 1x1 linked
 * drawing at the end of the body (before the body's final `<w:sectPr>`, so
 * the document stays schema-valid), fetched when Word opens it.
 */
export const docxInstrumenter: Instrumenter = {
  name: "docx",
  async instrument(input: Uint8Array, context: CanaryContext): Promise<Uint8Array> {
    const zip = await loadOfficeZip("docx", input);
    const date = archiveDate(zip);
    const docName = "word/document.xml";
    const relsName = "word/_rels/document.xml.rels";
    const doc = await readPart("docx", zip, docName);
    const rels = zip.file(relsName) ? await readPart("docx", zip, relsName) : EMPTY_RELS;
    const added = addRelationship(
      rels,
      (id) => externalImageRelationship(id, callbackUrl(context)),
    );
    const end = doc.lastIndexOf("</w:body>");
    if (end < 0) throw new InstrumentError("docx", "word/document.xml has no </w:body>");
    const sect = doc.lastIndexOf("<w:sectPr", end);
    const lastBlock = Math.max(doc.lastIndexOf("</w:p>", end), doc.lastIndexOf("</w:tbl>", end));
    const at = sect > lastBlock ? sect : end;
    const ids = [...doc.matchAll(/<wp:docPr\b[^>]*\bid="(\d+)"/g)].map((m) => Number(m[1]));
    const docPrId = (ids.length ? Math.max(...ids) : 0) + 1;
    writePart(
      zip,
      docName,
      doc.slice(0, at) + externalImageParagraph(added.id, docPrId) + doc.slice(at),
      date,
    );
    writePart(zip, relsName, added.rels, date);
    return await saveZip(zip);
  },
};
