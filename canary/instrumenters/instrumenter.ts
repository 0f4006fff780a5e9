import type { CanaryContext } from "../canary_context.ts";

/** Names of the upload instrumenters. */
export const INSTRUMENTER_NAMES = [
  "passthrough",
  "plain",
  "html",
  "docx",
  "xlsx",
  "pdf",
  "image",
] as const;

/** One of {@linkcode INSTRUMENTER_NAMES}. */
export type InstrumenterName = typeof INSTRUMENTER_NAMES[number];

/** Options of an instrumenter. */
export interface InstrumentOptions {
  /** Original file name; picks the comment syntax of text files. */
  filename?: string;
}

/** Turns an operator upload into bait, or rejects with an {@linkcode InstrumentError}. */
export interface Instrumenter {
  name: InstrumenterName;
  instrument(
    input: Uint8Array,
    context: CanaryContext,
    options?: InstrumentOptions,
  ): Promise<Uint8Array>;
}
