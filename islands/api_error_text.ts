/**
 * What a form shows for a failed API call: the field at fault, when the API
 * named one, then the message.
 *
 * @example
 * ```ts
 * import { ApiError } from "./api_fetch.ts";
 * import { apiErrorText } from "./api_error_text.ts";
 * apiErrorText(new ApiError(400, "invalid", "Expected a URL", "body.config.url"));
 * // "body.config.url: Expected a URL"
 * ```
 */
export function apiErrorText(e: unknown): string {
  const field = (e as { field?: string }).field;
  return field ? `${field}: ${(e as Error).message}` : (e as Error).message;
}
