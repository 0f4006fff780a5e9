/** Why a token request was refused: bad input, a missing row, or lost bytes. */
export type TokenRequestReason = "invalid" | "not_found" | "gone";

/**
 * A token request {@linkcode issueToken} refuses, naming the request field
 * at fault (`generator`, `kind`, `decky_name`, `placement_path`, `deploy`,
 * `blob_uuid`) so the API answers 400, 404 or 410 on it.
 *
 * @example
 * ```ts
 * import { TokenRequestError } from "./token_request_error.ts";
 * const e = new TokenRequestError("kind", 'uploads make "http" bait, got "dns"');
 * e.field; // "kind"
 * ```
 */
export class TokenRequestError extends Error {
  readonly field: string;
  readonly reason: TokenRequestReason;

  constructor(
    field: string,
    message: string,
    reason: TokenRequestReason = "invalid",
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "TokenRequestError";
    this.field = field;
    this.reason = reason;
  }
}
