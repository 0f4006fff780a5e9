/** Big-endian 16-bit value at `at`, or -1 when the bytes end first. */
export function readUint16(bytes: Uint8Array, at: number): number {
  if (at + 2 > bytes.length) return -1;
  return (bytes[at] << 8) | bytes[at + 1];
}

/** Big-endian unsigned 32-bit value at `at` (the caller checked the length). */
export function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}
