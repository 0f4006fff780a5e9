/** Longest accepted placement path (the database column holds 1024). */
export const MAX_PLACEMENT_PATH_LENGTH = 1024;

/**
 * Checks an operator-supplied placement path: absolute (`/…`, `C:\…`, or
 * `~/…` under the persona's home), no NUL, CR or LF, no `..` segment, at most
 * {@linkcode MAX_PLACEMENT_PATH_LENGTH} characters.
 *
 * @param path the path to check
 * @returns the path unchanged
 * @throws {TypeError} naming the reason it was refused
 */
export function validatePlacementPath(path: string): string {
  const refuse = (why: string): never => {
    throw new TypeError(`Cannot use placement path: ${why}, got ${JSON.stringify(path)}`);
  };
  if (path.length === 0) refuse("it is empty");
  if (path.length > MAX_PLACEMENT_PATH_LENGTH) {
    refuse(`it is longer than ${MAX_PLACEMENT_PATH_LENGTH} characters`);
  }
  if (/[\0\r\n]/.test(path)) refuse("it contains NUL, CR or LF");
  if (!/^(\/|~\/|[A-Za-z]:\\)/.test(path)) refuse("it must be absolute (/…, ~/… or C:\\…)");
  if (path.split(/[\\/]/).includes("..")) refuse("it must not contain a '..' segment");
  return path;
}
