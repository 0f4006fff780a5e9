/** Shared by the request-line and header parsers (folder-private). */

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;

/** What nginx does with a request it refuses before any location is chosen. */
export interface Http1Refusal {
  /** 494 is nginx's "Request Header Or Cookie Too Large", sent as a 400 page. */
  status: 400 | 405 | 413 | 414 | 494 | 501 | 505;
  /** The request line was HTTP/0.9: the page goes out without a status line or headers. */
  http09: boolean;
  /** The method was read and is HEAD: nginx sends the headers of its page, not the page. */
  headOnly: boolean;
  /** An MSIE User-Agent was read before the refusal: nginx pads its page (msie_padding). */
  msie: boolean;
  /** A short reason for the debug log. */
  reason: string;
}

/** A parsing step: more bytes needed, nginx's refusal, or the value read. */
export type Step<T> = { kind: "incomplete" } | { kind: "refused"; refusal: Http1Refusal } | {
  kind: "ok";
  value: T;
};

export const INCOMPLETE = { kind: "incomplete" } as const;

/** A refusal with `status`, headers and body to follow (HEAD and MSIE are decided later). */
export function refuse(status: Http1Refusal["status"], reason: string, http09 = false) {
  return {
    kind: "refused" as const,
    refusal: { status, http09, reason, headOnly: false, msie: false },
  };
}

/**
 * Bytes as a latin1 string (one character per byte). `apply` takes the
 * typed array as it is, where a spread would walk it through an iterator
 * (an object per byte: 3-4x the time of a request's parse, and its garbage).
 */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i += 4096) {
    const part = bytes.subarray(i, Math.min(end, i + 4096));
    out += String.fromCharCode.apply(null, part as unknown as number[]);
  }
  return out;
}
