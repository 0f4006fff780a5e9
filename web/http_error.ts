/**
 * An error a handler throws to answer with a status and a JSON body
 * `{error: {code, message, field?}}`; `app.onError` turns it into the response.
 *
 * @example
 * ```ts
 * throw new HttpError(404, "not_found", "No such token: 42");
 * ```
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { field?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }

  /** The JSON body sent for this error. */
  toJSON(): { error: { code: string; message: string; field?: string } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field !== undefined ? { field: this.field } : {}),
      },
    };
  }
}
