import type { AlertChannelRecord } from "../db/mod.ts";
import type { WorkerNeeds } from "../workers/worker_definition.ts";
import {
  ChannelConfigError,
  channelDestinations,
  channelFiles,
  parseChannelConfig,
} from "./alert_channel.ts";

/**
 * The alerts worker's needs with its enabled channels' destinations
 * (`host:port`, to connect) and files (CA bundles to read, JSON-lines files
 * to write) added: what Deno lets it reach, and nothing more. A channel
 * whose stored settings no longer parse adds nothing.
 *
 * @example
 * ```ts
 * import type { AlertChannelRecord } from "../db/mod.ts";
 * import { databaseOnlyNeeds } from "../workers/worker_definition.ts";
 * import { channelNeeds } from "./channel_needs.ts";
 * declare const channels: AlertChannelRecord[];
 * channelNeeds(databaseOnlyNeeds(), channels).connect; // ["siem.lan:6514", ...]
 * ```
 */
export function channelNeeds(
  needs: WorkerNeeds,
  channels: readonly AlertChannelRecord[],
): WorkerNeeds {
  const connect = new Set(needs.connect);
  const read = new Set(needs.read);
  const write = new Set(needs.write);
  for (const channel of channels) {
    if (!channel.enabled) continue;
    let config;
    try {
      config = parseChannelConfig(channel.config);
    } catch (e) {
      if (!(e instanceof ChannelConfigError)) throw e;
      continue;
    }
    for (const d of channelDestinations(config)) connect.add(d);
    const files = channelFiles(config);
    for (const f of files.read) read.add(f);
    for (const f of files.write) write.add(f);
  }
  return { ...needs, connect: [...connect].sort(), read: [...read], write: [...write] };
}
