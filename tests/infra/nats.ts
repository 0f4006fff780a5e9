import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { inNetns } from "./in_netns.ts";
import { processListens } from "./process_listens.ts";
import { waitUntil } from "./wait_until.ts";

/** A private nats-server started for a test; `close()` stops it for good. */
export interface NatsServer extends AsyncDisposable {
  port: number;
  /** nats://127.0.0.1:<port> */
  url: string;
  /** Kills the server (SIGKILL: like a crash), keeping the port for {@linkcode NatsServer.restart}. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits until it accepts connections. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Why nats-server cannot start here, or undefined when it can. */
export function natsUnavailable(): string | undefined {
  if (!findBinary("nats-server")) return "nats-server not installed (Debian package nats-server)";
  return undefined;
}

/** Options for {@linkcode startNats}. */
export interface StartNatsOptions {
  /** A configuration file (e.g. rendered by `decnet swarm nats-config`); the address flags win. */
  configFile?: string;
  /** The port, when the configuration already names it. @default a free port */
  port?: number;
  /** Run it inside this network namespace, listening on all of its addresses. */
  netns?: string;
}

/**
 * Starts Debian's nats-server on a free loopback port (it has no port-0
 * mode that reports back, so a free port is picked first).
 */
export async function startNats(options: StartNatsOptions = {}): Promise<NatsServer> {
  const binary = findBinary("nats-server");
  if (!binary) throw new Error(natsUnavailable());
  const port = options.port ?? freePort();
  const config = options.configFile ? ["-c", options.configFile] : [];
  let child: Deno.ChildProcess | undefined;

  const accepting = async (): Promise<boolean> => {
    // `ip netns exec` execs nats-server, so the child's PID is the server's.
    if (options.netns) return child !== undefined && await processListens(child.pid, port);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  };
  const argv = options.netns
    ? [...inNetns(options.netns), binary, "-a", "0.0.0.0"]
    : [binary, "-a", "127.0.0.1"];
  const start = async (): Promise<void> => {
    child = new Deno.Command(argv[0], {
      args: [...argv.slice(1), ...config, "-p", String(port)],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitUntil(accepting, { what: "nats-server", timeoutMs: 15_000, intervalMs: 20 });
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running) return;
    try {
      running.kill("SIGKILL");
    } catch {
      // already gone
    }
    await running.status;
  };
  await start();
  let closed: Promise<void> | undefined;
  const close = () => closed ??= kill();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    kill,
    restart: async () => {
      await kill();
      await start();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
