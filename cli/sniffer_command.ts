import { Command } from "commander";
import { readProcessEnv } from "../core/config/mod.ts";
import { configFor, loggerFor } from "./cli_context.ts";
import { CliError, EXIT_FAILURE } from "./cli_error.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";
import type { SnifferProberConfig } from "../core/sniffer/run_sniffer.ts";

/** What `decnet sniffer --help` says about privileges (also in the README). */
const PRIVILEGES = `
Capturing (and the optional active prober's SYNs, DECNET_PROBER=on) needs CAP_NET_RAW and nothing else. Ways to give it, narrowest first:
  - the decnet-sniffer systemd unit (AmbientCapabilities=CAP_NET_RAW, bounding set CAP_NET_RAW only);
  - \`decnet up\` as root with DECNET_SNIFFER=on (the child gets FFI and its spool, nothing else);
  - systemd-run -p AmbientCapabilities=CAP_NET_RAW -p User=<you> ... for a one-off run.
Do not setcap the Deno runtime: every script it runs would get the capability.

Deno permissions it needs: --allow-ffi (libpcap and libc only), read of its module, the
libraries and <DECNET_HOME>/spool/sniffer/targets.json, write of <DECNET_HOME>/spool/sniffer/journal
and <DECNET_HOME>/spool/sniffer/status,
--allow-sys=networkInterfaces. No network, no database, no secret. Started without FFI (./decnet),
it runs itself again as a child with exactly those.`;

/**
 * `decnet sniffer`: the sniffer process alone (the systemd unit's command,
 * and the child `decnet up` starts when DECNET_SNIFFER=on).
 */
export function snifferCommand(): Command {
  return new Command("sniffer")
    .description(
      "Capture client SYNs to the deckies (libpcap) and journal their TCP/IP fingerprints for the collector",
    )
    .option(
      "--stop-on-stdin-eof",
      "stop when stdin closes (decnet up holds it open, so its child ends with it, even when killed)",
    )
    .addHelpText("after", PRIVILEGES)
    .action(async (options: { stopOnStdinEof?: boolean }, command: Command) => {
      const config = configFor(command);
      const log = loggerFor(config, "sniffer");
      // Loaded here so the other commands never load FFI code.
      const { findLibrary, LIBC_NAME, LIBPCAP_NAME } = await import("../core/sniffer/libpcap.ts");
      const { snifferProberConfig } = await import("../core/sniffer/sniffer_prober_config.ts");
      const libpcap = config.snifferLibpcap ?? findLibrary(LIBPCAP_NAME);
      const libc = findLibrary(LIBC_NAME);
      const stop = new AbortController();
      const shutdown = options.stopOnStdinEof
        ? Promise.race([waitForShutdown(stop.signal), stdinClosed()])
        : waitForShutdown(stop.signal);
      if (libpcap && libc && !mayLoad(libpcap)) {
        const code = await runNarrowed({
          libpcap,
          libc,
          shutdown,
          config,
          prober: snifferProberConfig(config),
        });
        stop.abort();
        if (code !== 0) throw new CliError(`The sniffer exited with code ${code}`, code);
        return;
      }
      const { runSniffer } = await import("../core/sniffer/run_sniffer.ts");
      shutdown.then((reason) => {
        log.info("stopping", { reason });
        // The stop takes one poll and the last sync; a second signal (systemd and `decnet up`
        // both send one to the whole group) must not cut the journal's last write short.
        for (const name of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(name, () => {});
        stop.abort();
      });
      try {
        await runSniffer({
          home: config.home,
          libpcap,
          libc,
          log,
          signal: stop.signal,
          prober: snifferProberConfig(config),
        });
      } finally {
        stop.abort();
      }
    });
}

/** Resolves once stdin reaches its end (the parent holding the pipe exited). */
async function stdinClosed(): Promise<string> {
  const buffer = new Uint8Array(256);
  while ((await Deno.stdin.read(buffer)) !== null) {
    // Nothing is sent on it: the pipe only tells that the parent lives.
  }
  return "stdin closed";
}

function mayLoad(path: string): boolean {
  return Deno.permissions.querySync({ name: "ffi", path }).state === "granted";
}

/** Runs the sniffer again as a child holding FFI for libpcap and libc and little else. */
async function runNarrowed(o: {
  libpcap: string;
  libc: string;
  shutdown: Promise<string>;
  config: { home: string; logLevel: string };
  prober: SnifferProberConfig | null;
}): Promise<number> {
  if (Deno.permissions.querySync({ name: "run", command: Deno.execPath() }).state !== "granted") {
    throw new CliError(
      `Cannot start the sniffer: this process may neither load ${o.libpcap} (FFI) nor start the runtime again with that permission; see decnet sniffer --help`,
      EXIT_FAILURE,
    );
  }
  const { snifferCommandLine } = await import("../core/sniffer/sniffer_command_line.ts");
  let line;
  try {
    line = snifferCommandLine({
      execPath: Deno.execPath(),
      mainModule: Deno.mainModule,
      home: o.config.home,
      logLevel: o.config.logLevel,
      libpcap: o.libpcap,
      libc: o.libc,
      env: readProcessEnv(),
      prober: o.prober,
    });
  } catch (e) {
    if (e instanceof TypeError) throw new CliError(e.message, EXIT_FAILURE);
    throw e;
  }
  await Deno.mkdir(line.cwd, { recursive: true, mode: 0o700 });
  const child = new Deno.Command(line.command, {
    args: line.args,
    env: line.env,
    clearEnv: true,
    cwd: line.cwd,
    // Held open: the child stops when this process is gone (it reads stdin to its end).
    stdin: "piped",
  }).spawn();
  let stopping = false;
  o.shutdown.then(() => {
    stopping = true;
    try {
      child.kill("SIGTERM");
    } catch {
      // Already exited.
    }
  });
  const status = await child.status;
  // Asked to stop: a child ended by the same signal stopped as asked.
  return stopping && status.signal !== null ? 0 : status.code;
}
