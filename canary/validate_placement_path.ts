import { quoteValue } from "../core/log/mod.ts";

/** Longest accepted placement path (the database column holds 1024). */
export const MAX_PLACEMENT_PATH_LENGTH = 1024;

/**
 * Checks an operator-supplied placement path: absolute (`/…`, `C:\…`, or
 * `~/…` under the persona's home), no control character (NUL, CR, LF, ESC,
 * …), no `<` or `>` (no bait lives at such a path, and they would be markup
 * wherever the path is shown), no `..` segment, at most
 * {@linkcode MAX_PLACEMENT_PATH_LENGTH} characters. The one check for the
 * API, the planter and the issuing functions.
 *
 * @param path the path to check
 * @returns the path unchanged
 * @throws {TypeError} naming the reason it was refused
 * @example
 * ```ts
 * validatePlacementPath("~/.aws/credentials"); // "~/.aws/credentials"
 * validatePlacementPath("/tmp/<b>"); // throws TypeError
 * ```
 */
export function validatePlacementPath(path: string): string {
  const refuse = (why: string): never => {
    throw new TypeError(`Cannot use placement path: ${why}, got ${quoteValue(path)}`);
  };
  if (path.length === 0) refuse("it is empty");
  if (path.length > MAX_PLACEMENT_PATH_LENGTH) {
    refuse(`it is longer than ${MAX_PLACEMENT_PATH_LENGTH} characters`);
  }
  if (/[\0\r\n]/.test(path)) refuse("it contains NUL, CR or LF");
  // deno-lint-ignore no-control-regex
  if (/[\u0001-\u001f\u007f-\u009f]/.test(path)) refuse("it contains a control character");
  if (/[<>]/.test(path)) refuse("it contains '<' or '>'");
  if (!/^(\/|~\/|[A-Za-z]:\\)/.test(path)) refuse("it must be absolute (/…, ~/… or C:\\…)");
  if (path.split(/[\\/]/).includes("..")) refuse("it must not contain a '..' segment");
  return path;
}
