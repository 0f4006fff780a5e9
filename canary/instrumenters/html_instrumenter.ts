import type { CanaryContext } from "../canary_context.ts";
import { callbackUrl } from "../callback_url.ts";
import { xmlEscape } from "../_xml_escape.ts";
import { InstrumentError } from "./instrument_error.ts";
import type { Instrumenter } from "./instrumenter.ts";

/** HTML: a 1x1 image at the callback before the last `</body>` (appended when there is none). */
export const htmlInstrumenter: Instrumenter = {
  name: "html",
  instrument(input: Uint8Array, context: CanaryContext): Promise<Uint8Array> {
    let html: string;
    try {
      html = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch (e) {
      return Promise.reject(
        new InstrumentError("html", "the file is not UTF-8 text", { cause: e }),
      );
    }
    const img = `<img src="${xmlEscape(callbackUrl(context))}" width="1" height="1" alt="" ` +
      `style="border:0">`;
    const at = html.toLowerCase().lastIndexOf("</body>");
    const out = at >= 0
      ? `${html.slice(0, at)}${img}\n${html.slice(at)}`
      : `${html}${html.endsWith("\n") || html === "" ? "" : "\n"}${img}\n`;
    return Promise.resolve(new TextEncoder().encode(out));
  },
};
