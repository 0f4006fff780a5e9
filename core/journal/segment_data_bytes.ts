/**
 * Bytes of data in a journal segment of `size` bytes on disk: where its
 * zeros written ahead begin (see `PrezeroedFile`), found by bisection since
 * a segment is records then zeros (a JSON line never holds a 0x00 byte).
 *
 * @example
 * ```ts
 * import { listSegments } from "./segment_names.ts";
 * import { segmentDataBytes } from "./segment_data_bytes.ts";
 * const [s] = await listSegments("/var/lib/decnet/spool/sniffer/journal");
 * if (s) await segmentDataBytes(s.path, s.size); // <= s.size
 * ```
 */
export async function segmentDataBytes(path: string, size: number): Promise<number> {
  using file = await Deno.open(path, { read: true });
  const byte = new Uint8Array(1);
  const isZero = async (at: number) => {
    await file.seek(at, Deno.SeekMode.Start);
    return (await file.read(byte)) !== 1 || byte[0] === 0;
  };
  // Invariant: data ends in [low, high].
  let low = 0;
  let high = size;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (await isZero(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
}
