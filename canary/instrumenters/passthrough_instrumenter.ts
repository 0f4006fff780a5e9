import type { Instrumenter } from "./instrumenter.ts";

/** Ships the upload unchanged (the operator asked for it explicitly). */
export const passthroughInstrumenter: Instrumenter = {
  name: "passthrough",
  instrument(input: Uint8Array): Promise<Uint8Array> {
    return Promise.resolve(input.slice());
  },
};
