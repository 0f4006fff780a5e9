import { parseReplyLatency } from "../../realism/mod.ts";

/** The message a reply would answer. */
export interface ReplyParent {
  /** When it was sent (ISO 8601). */
  ts: string;
  message_id: string;
  /** Its author's address. */
  sender: string;
}

/**
 * When `replier` may answer `parent`: never (null) to her own message, else
 * no earlier than her reply latency after it. The latency is drawn inside
 * her "MIN-MAX" range from the parent's Message-ID, so every tick that asks
 * gets the same answer. Pure.
 *
 * @param parent the message answered
 * @param replier the persona answering: her address and reply latency
 * @returns the earliest instant of the reply, or null when she may not answer it
 * @example
 * ```ts
 * import { replyDueAt } from "./reply_due_at.ts";
 * declare function reply(): Promise<void>;
 * const parent = { ts: "2026-03-02T09:14:00Z", message_id: "<1.2@corp.example>", sender: "bo@corp.example" };
 * const due = replyDueAt(parent, { email: "ana@corp.example", reply_latency: "10m-2h" });
 * if (due && new Date() >= due) await reply();
 * ```
 */
export function replyDueAt(
  parent: ReplyParent,
  replier: { email: string; reply_latency: string },
): Date | null {
  if (parent.sender.toLowerCase() === replier.email.toLowerCase()) return null;
  const sent = Date.parse(parent.ts);
  if (Number.isNaN(sent)) return null;
  const [min, max] = parseReplyLatency(replier.reply_latency) ?? [0, 0];
  const fraction = fnv1a(parent.message_id) / 0x1_0000_0000;
  return new Date(sent + Math.round((min + fraction * (max - min)) * 1000));
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
