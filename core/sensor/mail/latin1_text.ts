/**
 * Bytes as a string of the same length, one char per byte (no charset
 * mapping, unlike TextDecoder's "latin1", which is windows-1252), so mail
 * of any encoding is served byte for byte.
 *
 * @example
 * ```ts
 * latin1Text(new Uint8Array([0x80])); // "\x80"
 * ```
 */
export function latin1Text(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}
