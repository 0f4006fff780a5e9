/**
 * A fingerprint or hash value as compared: trimmed and lower-cased, since
 * tools print the same hex digest in either case.
 *
 * @example
 * ```ts
 * normalizeFingerprint(" E7D705A3286E19EA42F587B344EE6865 "); // "e7d705a3286e19ea42f587b344ee6865"
 * ```
 */
export function normalizeFingerprint(value: string): string {
  return value.trim().toLowerCase();
}
