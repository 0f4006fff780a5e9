import type { CanaryEventPayload } from "../bus/mod.ts";
import type { TriggerInput } from "../db/mod.ts";

/** What the event names besides the trigger: its token's kind and decky. */
export interface CanaryTriggerEventContext {
  kind?: string;
  decky?: string | null;
}

/**
 * The `canary.<token>.triggered` payload of a stored trigger, or of a rollup
 * row created or grown (`extra` carries its scope, hits and last time).
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { TriggerInput } from "../db/repositories/canary_repository.ts";
 * import { canaryTopic } from "../bus/topics.ts";
 * import { canaryTriggerEvent } from "./canary_trigger_event.ts";
 * declare const bus: Bus;
 * declare const t: TriggerInput;
 * bus.publish(canaryTopic(t.tokenUuid, "triggered"), canaryTriggerEvent(t, { kind: "http" }));
 * ```
 */
export function canaryTriggerEvent(
  trigger: TriggerInput,
  context: CanaryTriggerEventContext,
  extra: Partial<CanaryEventPayload> = {},
): CanaryEventPayload {
  const detail = trigger.dnsQname ??
    [trigger.method, trigger.requestPath].filter((p) => p).join(" ");
  return {
    token_uuid: trigger.tokenUuid,
    event: "triggered",
    at: trigger.occurredAt.toISOString(),
    channel: trigger.dnsQname !== null ? "dns" : "http",
    source_ip: trigger.srcIp,
    detail,
    ...(context.kind ? { kind: context.kind } : {}),
    ...(context.decky ? { decky: context.decky } : {}),
    ...(trigger.userAgent ? { user_agent: trigger.userAgent } : {}),
    ...extra,
  };
}
