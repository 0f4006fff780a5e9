import type { CanaryContext } from "./canary_context.ts";
import { InstrumentError } from "./instrumenters/instrument_error.ts";
import type { InstrumenterName } from "./instrumenters/instrumenter.ts";
import { INSTRUMENTER_TABLE } from "./instrumenters/instrumenter_table.ts";
import { sniffMime } from "./sniff_mime.ts";

/** Options of {@linkcode instrumentUpload}. */
export interface InstrumentUploadOptions {
  /** Original file name (comment syntax, text sniffing). */
  filename?: string;
  /** Forces an instrumenter instead of sniffing; `passthrough` ships the bytes as they are. */
  instrumenter?: InstrumenterName;
}

/** An instrumented upload. */
export interface InstrumentedUpload {
  bytes: Uint8Array;
  mime: string;
  instrumenter: InstrumenterName;
}

/**
 * Sniffs an operator upload and instruments it with the callback of `context`.
 *
 * @param input the uploaded bytes
 * @param context the artifact context
 * @returns the instrumented bytes, their media type and the instrumenter used
 * @throws {InstrumentError} when no instrumenter fits or the one chosen refuses the file
 * @example
 * ```ts
 * import { instrumentUpload } from "./instrument_upload.ts";
 * declare const bytes: Uint8Array;
 * declare const context: Parameters<typeof instrumentUpload>[1];
 * const out = await instrumentUpload(bytes, context, { filename: "report.docx" });
 * ```
 */
export async function instrumentUpload(
  input: Uint8Array,
  context: CanaryContext,
  options: InstrumentUploadOptions = {},
): Promise<InstrumentedUpload> {
  const sniffed = sniffMime(input, options.filename);
  const name = options.instrumenter ?? sniffed.instrumenter;
  if (!name) {
    throw new InstrumentError(
      "sniff",
      `no instrumenter fits ${sniffed.mime}; choose passthrough to plant it unchanged`,
    );
  }
  const instrumenter = INSTRUMENTER_TABLE.get(name);
  if (!instrumenter) throw new InstrumentError(name, "there is no such instrumenter");
  const bytes = await instrumenter.instrument(input, context, { filename: options.filename });
  return { bytes, mime: sniffed.mime, instrumenter: name };
}
