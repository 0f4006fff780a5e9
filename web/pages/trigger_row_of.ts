import type { CanaryTokenRow, CanaryTriggerRow } from "../../core/db/mod.ts";
import { triggerRow } from "../../islands/mod.ts";
import type { TriggerRow } from "../../islands/mod.ts";

/**
 * The dashboard row of a stored trigger (`token` gives its kind and decky;
 * null when it is gone). Same fields as the live island builds from events.
 *
 * @example
 * ```ts
 * import type { CanaryTokenRow, CanaryTriggerRow } from "../../core/db/mod.ts";
 * import { triggerRowOf } from "./trigger_row_of.ts";
 * declare const items: CanaryTriggerRow[];
 * declare const token: CanaryTokenRow | null;
 * const rows = items.map((r) => triggerRowOf(r, token));
 * ```
 */
export function triggerRowOf(
  r: CanaryTriggerRow,
  token: Pick<CanaryTokenRow, "kind" | "decky_name"> | null,
): TriggerRow {
  return triggerRow({
    tokenUuid: r.token_uuid,
    occurredAt: r.occurred_at,
    srcIp: r.src_ip,
    tokenKind: token?.kind ?? null,
    deckyName: token?.decky_name ?? null,
    request: r.dns_qname ?? [r.method, r.request_path].filter(Boolean).join(" "),
    userAgent: r.user_agent,
    hits: Number(r.hit_count),
    rollup: r.rollup_scope,
  });
}
