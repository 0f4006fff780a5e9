/** An upload cannot be instrumented; `reason` says why, for the operator. */
export class InstrumentError extends Error {
  readonly instrumenter: string;
  readonly reason: string;

  constructor(instrumenter: string, reason: string, options?: ErrorOptions) {
    super(`Cannot instrument upload with ${instrumenter}: ${reason}`, options);
    this.name = "InstrumentError";
    this.instrumenter = instrumenter;
    this.reason = reason;
  }
}
