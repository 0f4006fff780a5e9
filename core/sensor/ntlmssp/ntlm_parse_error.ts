/**
 * Thrown by {@linkcode parseNtlmMessage} for bytes that are not a well-formed
 * NTLMSSP message; the only error it throws, so a service can catch exactly
 * this and answer the client as the real server would.
 */
export class NtlmParseError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = "NtlmParseError";
  }
}
