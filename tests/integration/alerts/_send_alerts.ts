/**
 * Sends one alert through each channel config given as a JSON array in
 * argv[0], printing `[{ok, reason?}]`: the child process of
 * channel_permissions_test.ts, run with only the permissions the configs call for.
 */
import { parseChannelConfig } from "../../../core/alerts/alert_channel.ts";
import { ChannelError } from "../../../core/alerts/channel_error.ts";
import { createChannel } from "../../../core/alerts/channels/factory.ts";
import { makeAlert } from "../../core/alerts/make_alert.ts";

const results = [];
for (const input of JSON.parse(Deno.args[0])) {
  await using channel = createChannel(parseChannelConfig(input));
  try {
    await channel.send(makeAlert({ id: `perm-${input.type}-${input.transport ?? ""}` }));
    results.push({ ok: true });
  } catch (e) {
    if (!(e instanceof ChannelError)) throw e;
    results.push({ ok: false, reason: e.reason });
  }
}
console.info(JSON.stringify(results));
