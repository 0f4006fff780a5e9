import type { TriggerInput } from "../db/mod.ts";

/** Longest journal line; bigger header sets are cut to fit (the reader reads 1 MiB at a time). */
export const MAX_RECORD_BYTES = 64 * 1024;

/**
 * One journal line for a trigger (JSON, snake_case, no newline). Headers
 * that would make it longer than {@linkcode MAX_RECORD_BYTES} are left out.
 *
 * @example
 * ```ts
 * import type { JournalWriter } from "./journal_writer.ts";
 * import type { TriggerInput } from "../db/mod.ts";
 * import { encodeTriggerRecord } from "./trigger_record.ts";
 * declare const journal: JournalWriter;
 * declare const trigger: TriggerInput;
 * await journal.append([encodeTriggerRecord(trigger)]);
 * ```
 */
export function encodeTriggerRecord(trigger: TriggerInput): string {
  const line = JSON.stringify(toWire(trigger, trigger.headers));
  if (line.length * 3 <= MAX_RECORD_BYTES) return line;
  const kept: Record<string, string> = {};
  let budget = MAX_RECORD_BYTES / 3 - 4096;
  for (const [name, value] of Object.entries(trigger.headers)) {
    budget -= name.length + value.length + 8;
    if (budget < 0) break;
    kept[name] = value;
  }
  return JSON.stringify(toWire(trigger, kept));
}

/**
 * The trigger in a journal line, or null when the line is not one (a
 * compromised or buggy writer must not get arbitrary rows stored). Fields
 * it does not know are ignored (older lines also named the token's kind
 * and decky, which the database now supplies).
 *
 * @example
 * ```ts
 * import { decodeTriggerRecord } from "./trigger_record.ts";
 * declare const line: string; // one line of a journal segment
 * const trigger = decodeTriggerRecord(line); // null when it is not a trigger record
 * ```
 */
export function decodeTriggerRecord(line: string): TriggerInput | null {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const occurredAt = typeof v.occurred_at === "string" ? new Date(v.occurred_at) : null;
  const headers = v.headers;
  if (
    !text(v.token_uuid, 36) || occurredAt === null || Number.isNaN(occurredAt.getTime()) ||
    !text(v.src_ip, 64) ||
    !nullableText(v.user_agent, 4096) || !nullableText(v.method, 16) ||
    !nullableText(v.request_path, 4096) || !nullableText(v.dns_qname, 255) ||
    !nullableText(v.dns_client_subnet, 64) || typeof headers !== "object" || headers === null ||
    Array.isArray(headers) ||
    !Object.values(headers as Record<string, unknown>).every((h) =>
      typeof h === "string" && h.length <= 4096
    )
  ) {
    return null;
  }
  return {
    tokenUuid: v.token_uuid as string,
    occurredAt,
    srcIp: v.src_ip as string,
    userAgent: v.user_agent as string | null,
    method: v.method as string | null,
    requestPath: v.request_path as string | null,
    dnsQname: v.dns_qname as string | null,
    dnsClientSubnet: v.dns_client_subnet as string | null,
    headers: headers as Record<string, string>,
  };
}

function toWire(t: TriggerInput, headers: Record<string, string>): Record<string, unknown> {
  return {
    token_uuid: t.tokenUuid,
    occurred_at: t.occurredAt.toISOString(),
    src_ip: t.srcIp,
    user_agent: t.userAgent,
    method: t.method,
    request_path: t.requestPath,
    dns_qname: t.dnsQname,
    dns_client_subnet: t.dnsClientSubnet,
    headers,
  };
}

function text(v: unknown, max: number): boolean {
  return typeof v === "string" && v.length > 0 && v.length <= max;
}

function nullableText(v: unknown, max: number): boolean {
  return v === null || (typeof v === "string" && v.length <= max);
}
