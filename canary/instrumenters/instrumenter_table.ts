import { docxInstrumenter } from "./docx_instrumenter.ts";
import { htmlInstrumenter } from "./html_instrumenter.ts";
import { imageInstrumenter } from "./image_instrumenter.ts";
import type { Instrumenter, InstrumenterName } from "./instrumenter.ts";
import { passthroughInstrumenter } from "./passthrough_instrumenter.ts";
import { pdfInstrumenter } from "./pdf_instrumenter.ts";
import { plainInstrumenter } from "./plain_instrumenter.ts";
import { xlsxInstrumenter } from "./xlsx_instrumenter.ts";

/** Every instrumenter, by name. */
export const INSTRUMENTER_TABLE: ReadonlyMap<InstrumenterName, Instrumenter> = new Map(
  [
    passthroughInstrumenter,
    plainInstrumenter,
    htmlInstrumenter,
    docxInstrumenter,
    xlsxInstrumenter,
    pdfInstrumenter,
    imageInstrumenter,
  ].map((i) => [i.name, i]),
);
