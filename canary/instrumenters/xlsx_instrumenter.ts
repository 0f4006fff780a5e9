import type { CanaryContext } from "../canary_context.ts";
import { callbackUrl } from "../callback_url.ts";
import { externalImageRelationship } from "../_docx_drawing.ts";
import type { Instrumenter } from "./instrumenter.ts";
import {
  addRelationship,
  archiveDate,
  loadOfficeZip,
  readPart,
  saveZip,
  writePart,
} from "./_zip_part.ts";

/** XLSX: adds an external image relationship at the callback to the workbook relationships. */
export const xlsxInstrumenter: Instrumenter = {
  name: "xlsx",
  async instrument(input: Uint8Array, context: CanaryContext): Promise<Uint8Array> {
    const zip = await loadOfficeZip("xlsx", input);
    const relsName = "xl/_rels/workbook.xml.rels";
    await readPart("xlsx", zip, "xl/workbook.xml");
    const rels = await readPart("xlsx", zip, relsName);
    const added = addRelationship(
      rels,
      (id) => externalImageRelationship(id, callbackUrl(context)),
    );
    writePart(zip, relsName, added.rels, archiveDate(zip));
    return await saveZip(zip);
  },
};
