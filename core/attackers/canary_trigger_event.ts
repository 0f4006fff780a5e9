import type { CanaryEventPayload } from "../bus/mod.ts";
import type { JournalTrigger } from "../journal/mod.ts";

/**
 * The `canary.<token>.triggered` payload of a stored trigger.
 *
 * @example
 * ```ts
 * bus.publish(canaryTopic(t.tokenUuid, "triggered"), canaryTriggerEvent(t, "3:1024"));
 * ```
 */
export function canaryTriggerEvent(trigger: JournalTrigger, id: string): CanaryEventPayload {
  const detail = trigger.dnsQname ??
    [trigger.method, trigger.requestPath].filter((p) => p).join(" ");
  return {
    token_uuid: trigger.tokenUuid,
    event: "triggered",
    at: trigger.occurredAt.toISOString(),
    channel: trigger.dnsQname !== null ? "dns" : "http",
    source_ip: trigger.srcIp,
    detail,
    kind: trigger.kind,
    ...(trigger.decky ? { decky: trigger.decky } : {}),
    ...(trigger.userAgent ? { user_agent: trigger.userAgent } : {}),
    trigger_id: id,
  };
}
