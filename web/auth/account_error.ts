/**
 * An account change refused for a reason the caller reports (the API as
 * 404/409, the CLI as one line): `exists`, `not_found` or `last_admin`.
 */
export class AccountError extends Error {
  readonly code: "exists" | "not_found" | "last_admin";

  constructor(code: AccountError["code"], message: string) {
    super(message);
    this.name = "AccountError";
    this.code = code;
  }
}
