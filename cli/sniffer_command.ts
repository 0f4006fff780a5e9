import { Command } from "commander";
import { configFor, loggerFor } from "./cli_context.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";

/** What `decnet sniffer --help` says about privileges (also in the README). */
const PRIVILEGES = `
Capturing needs CAP_NET_RAW and nothing else. Ways to give it, narrowest first:
  - the decnet-sniffer systemd unit (AmbientCapabilities=CAP_NET_RAW, bounding set CAP_NET_RAW only);
  - \`decnet up\` as root with DECNET_SNIFFER=on (the child gets FFI and its spool, nothing else);
  - systemd-run -p AmbientCapabilities=CAP_NET_RAW -p User=<you> ... for a one-off run.
Do not setcap the Deno runtime: every script it runs would get the capability.

Deno permissions it needs: --allow-ffi (libpcap and libc only), read of its module, the
libraries and <DECNET_HOME>/spool/sniffer/targets.json, write of <DECNET_HOME>/spool/sniffer/journal,
--allow-sys=networkInterfaces. No network, no database, no secret.`;

/**
 * `decnet sniffer`: the sniffer process alone (the systemd unit's command,
 * and the child `decnet up` starts when DECNET_SNIFFER=on).
 */
export function snifferCommand(): Command {
  return new Command("sniffer")
    .description(
      "Capture client SYNs to the deckies (libpcap) and journal their TCP/IP fingerprints for the collector",
    )
    .addHelpText("after", PRIVILEGES)
    .action(async (_options: unknown, command: Command) => {
      const config = configFor(command);
      const log = loggerFor(config, "sniffer");
      // Loaded here so the other commands never load FFI code.
      const { runSniffer } = await import("../core/sniffer/run_sniffer.ts");
      const stop = new AbortController();
      waitForShutdown(stop.signal).then((reason) => {
        log.info("stopping", { reason });
        stop.abort();
      });
      try {
        await runSniffer({
          home: config.home,
          libpcap: config.snifferLibpcap,
          log,
          signal: stop.signal,
        });
      } finally {
        stop.abort();
      }
    });
}
