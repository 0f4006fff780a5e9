import type { JournalPosition } from "../db/mod.ts";
import { listSegments } from "./segment_names.ts";

/** One record read from the journal, with the position just after it. */
export interface JournalRecord {
  text: string;
  /** Where the next record starts (the cursor once this one is stored). */
  end: JournalPosition;
  /** Unique id of the record: `<segment>:<byte offset>`. */
  id: string;
}

/** Options for {@linkcode readJournal}. */
export interface ReadJournalOptions {
  /** Stop after this many records. @default 500 */
  maxRecords?: number;
  /** Bytes read per segment per call. @default 1 MiB */
  chunkBytes?: number;
}

/** What {@linkcode readJournal} found after `from`. */
export interface JournalRead {
  records: JournalRecord[];
  /** The position after the last record read (or after skipped closed segments). */
  to: JournalPosition;
  /** Segments before `to.segment` (fully read; safe to remove once `to` is stored). */
  done: string[];
  /** Lines that were not records (torn by a crash, or not UTF-8 JSON). */
  skipped: number;
  /** `from.segment` no longer exists while later segments do: the journal was replaced. */
  cursorLost: boolean;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
/** Bytes read at a time: an idle journal's poll reads one block of its zeros, not a whole chunk. */
const BLOCK_BYTES = 64 * 1024;

/**
 * Reads records after `from`, in order, across segments. A segment's data
 * ends at its end or at its first 0x00 byte (the writer zeroes ahead of
 * its data; a JSON line never holds one). Only the newest segment may
 * still be written: a partial last line there is left for later, while in
 * an older (closed) segment it is a write torn by a crash (never
 * acknowledged) and is skipped.
 *
 * @example
 * ```ts
 * import { readJournal } from "./read_journal.ts";
 * const read = await readJournal("/var/lib/decnet/spool/canary/journal", { segment: 0, offset: 0 });
 * for (const r of read.records) JSON.parse(r.text);
 * ```
 */
export async function readJournal(
  dir: string,
  from: JournalPosition,
  options: ReadJournalOptions = {},
): Promise<JournalRead> {
  const maxRecords = options.maxRecords ?? 500;
  const chunkBytes = options.chunkBytes ?? 1024 ** 2;
  const segments = await listSegments(dir);
  const read: JournalRead = { records: [], to: from, done: [], skipped: 0, cursorLost: false };
  if (segments.length === 0) return read;
  const newest = segments.at(-1)!.number;
  const current = segments.find((s) => s.number === from.segment);
  if (!current && from.segment > segments[0].number || from.segment > newest) {
    read.cursorLost = true;
    return read;
  }
  let pos = from;
  for (const [index, segment] of segments.entries()) {
    if (segment.number < pos.segment) {
      read.done.push(segment.path);
      continue;
    }
    if (segment.number > pos.segment) {
      // The previous segment is exhausted (or was never there): move on.
      pos = { segment: segment.number, offset: 0 };
    }
    const open = segment.number === newest;
    const start = pos.offset;
    const length = Math.min(segment.size - start, chunkBytes);
    // Where the segment's data ends, once its zeros (or its end) are in sight.
    let dataEnd = segment.size;
    if (length > 0) {
      const { bytes, zeroAt } = await readData(segment.path, start, length);
      if (zeroAt !== null) dataEnd = start + zeroAt;
      let lineStart = 0;
      for (let i = 0; i < bytes.length && read.records.length < maxRecords; i++) {
        if (bytes[i] !== 0x0a) continue;
        const end = { segment: segment.number, offset: start + i + 1 };
        const text = decodeLine(bytes.subarray(lineStart, i));
        if (text === null) read.skipped++;
        else {
          read.records.push({ text, end, id: `${segment.number}:${start + lineStart}` });
        }
        pos = end;
        lineStart = i + 1;
      }
      if (read.records.length >= maxRecords || start + length < dataEnd) break;
    }
    if (open) break;
    if (pos.offset < dataEnd) {
      // A closed segment ending without a newline: the write was torn, never acknowledged.
      read.skipped++;
    }
    read.done.push(segment.path);
    pos = { segment: segments[index + 1].number, offset: 0 };
  }
  read.to = pos;
  read.done = read.done.filter((p) => segments.find((s) => s.path === p)!.number < read.to.segment);
  return read;
}

function decodeLine(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Up to `length` bytes from `start`, read a block at a time and cut at the
 * first zero byte (`zeroAt`: its index, or null when none was read).
 */
async function readData(
  path: string,
  start: number,
  length: number,
): Promise<{ bytes: Uint8Array; zeroAt: number | null }> {
  using file = await Deno.open(path, { read: true });
  await file.seek(start, Deno.SeekMode.Start);
  const out = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = await file.read(out.subarray(got, Math.min(length, got + BLOCK_BYTES)));
    if (n === null) break;
    const zero = out.subarray(got, got + n).indexOf(0);
    if (zero >= 0) return { bytes: out.subarray(0, got + zero), zeroAt: got + zero };
    got += n;
  }
  return { bytes: out.subarray(0, got), zeroAt: null };
}
