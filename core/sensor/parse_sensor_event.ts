import { z } from "zod";
import {
  SENSOR_EVENT_KINDS,
  SENSOR_EVENT_VERSION,
  SENSOR_SERVICES,
  type SensorEvent,
} from "./sensor_event.ts";

/** Longest line a collector accepts as one event; longer lines are bad lines. */
export const MAX_SENSOR_LINE = 256 * 1024;

const ENVELOPE = z.looseObject({
  v: z.literal(SENSOR_EVENT_VERSION),
  time: z.iso.datetime({ offset: true }),
  decky: z.string().min(1).max(64),
  service: z.enum(SENSOR_SERVICES),
  kind: z.enum(SENSOR_EVENT_KINDS),
  src_ip: z.string().min(1).max(64),
  src_port: z.int().min(0).max(65535),
  dst_port: z.int().min(0).max(65535),
  session: z.string().min(1).max(64),
});

/**
 * One sensor stdout line as an event, or why it is not one. Sensors run where
 * an attacker may have a shell, so every line is untrusted input.
 *
 * @example
 * ```ts
 * const r = parseSensorEvent('{"v":1,"time":"2026-12-01T10:00:00.000Z","decky":"web01","service":"ftp","kind":"connect","src_ip":"192.0.2.9","src_port":40000,"dst_port":21,"session":"a"}');
 * if (r.ok) r.event.kind; // "connect"
 * ```
 */
export function parseSensorEvent(
  line: string,
): { ok: true; event: SensorEvent } | { ok: false; error: string } {
  if (line.length > MAX_SENSOR_LINE) {
    return { ok: false, error: `line longer than ${MAX_SENSOR_LINE} characters` };
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, error: "not JSON" };
  }
  const parsed = ENVELOPE.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue.path.join(".") || "line"}: ${issue.message}` };
  }
  return { ok: true, event: parsed.data as SensorEvent };
}
