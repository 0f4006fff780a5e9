import type { PDFDocument } from "pdf-lib";
import type { CanaryContext } from "../canary_context.ts";
import { callbackUrl } from "../callback_url.ts";
import { InstrumentError } from "./instrument_error.ts";
import type { Instrumenter } from "./instrumenter.ts";

/** PDF: sets the catalog's /OpenAction to a /URI action at the callback; metadata untouched. */
export const pdfInstrumenter: Instrumenter = {
  name: "pdf",
  async instrument(input: Uint8Array, context: CanaryContext): Promise<Uint8Array> {
    // Loaded on first use: the library is large and most workers never build this format.
    const { PDFDocument: Pdf, PDFName, PDFString } = await import("pdf-lib");
    let doc: PDFDocument;
    try {
      doc = await Pdf.load(input, { updateMetadata: false });
    } catch (e) {
      const encrypted = e instanceof Error && /encrypt/i.test(e.message);
      throw new InstrumentError(
        "pdf",
        encrypted ? "the PDF is encrypted" : "the file is not a readable PDF",
        { cause: e },
      );
    }
    try {
      // pdf-lib loads damaged files leniently; a file without pages or catalog is refused here.
      if (doc.getPageCount() === 0) throw new SyntaxError("Cannot read PDF: no pages");
      doc.catalog.set(
        PDFName.of("OpenAction"),
        doc.context.obj({ Type: "Action", S: "URI", URI: PDFString.of(callbackUrl(context)) }),
      );
      return await doc.save({ useObjectStreams: false });
    } catch (e) {
      throw new InstrumentError("pdf", "the file is not a readable PDF", { cause: e });
    }
  },
};
