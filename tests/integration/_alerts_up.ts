import type { AdminApi } from "../infra/sign_in_admin.ts";
import type { DecnetProcess } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

/** Options of {@linkcode addWebhookRule}. */
export interface AddWebhookRuleOptions {
  /** The webhook receiver's URL and shared secret. */
  url: string;
  secret: string;
  /** The rule's fields but its channel (name, events, severity...). */
  rule: Record<string, unknown>;
}

/**
 * Makes a webhook channel and one rule sending to it through the API of a
 * `decnet up` running the alerts worker, and waits until the worker has
 * both: it is re-spawned for the channel's new destination, then reloads
 * its rules.
 */
export async function addWebhookRule(
  proc: DecnetProcess,
  admin: AdminApi,
  options: AddWebhookRuleOptions,
): Promise<void> {
  const started = () => proc.lines.filter((l) => /worker started.*worker=alerts/.test(l)).length;
  await waitUntil(() => started() === 1, { what: "the alerts worker started" });
  const channel = await admin.post<{ id: string }>("/api/v1/alerts/channels", {
    name: "soc",
    config: { type: "webhook", url: options.url, secret: options.secret },
  });
  // The worker could reach no destination before: it is re-spawned with this one.
  await waitUntil(() => started() === 2, { what: "the alerts worker re-spawned" });
  await admin.post("/api/v1/alerts/rules", { ...options.rule, channel_ids: [channel.id] });
  await waitUntil(
    async () => (await admin.get<{ total: number }>("/api/v1/alerts/rules")).total === 1,
    {
      what: "the rule listed",
    },
  );
  // The rule is read within the worker's next look at the bus message that announced it.
  await waitUntil(() => proc.lines.some((l) => /alert rules reloaded.*rules=1/.test(l)), {
    what: "the rule loaded",
  });
}
