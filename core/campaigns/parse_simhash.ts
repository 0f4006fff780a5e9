const SIMHASH_REGEXP = /^[0-9a-f]{16}$/i;

/**
 * A 64-bit keystroke simhash (16 hex digits) as its high and low 32 bits,
 * or undefined when the text is not one.
 *
 * @example
 * ```ts
 * parseSimhash("00000001ffffffff"); // [1, 4294967295]
 * parseSimhash("0x1"); // undefined
 * ```
 */
export function parseSimhash(text: string): [number, number] | undefined {
  if (!SIMHASH_REGEXP.test(text)) return undefined;
  return [parseInt(text.slice(0, 8), 16), parseInt(text.slice(8), 16)];
}
