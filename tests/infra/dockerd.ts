// A private Docker daemon for integration tests: Debian's docker.io started
// headless, touching nothing of the host's Docker setup.
//
// Facts established on this machine (kernel 6.18, cgroup v1, dockerd 20.10.24,
// containerd 1.6.20, runc 1.1.5), relied on by fleet deploy and orchestrator tests:
// - `dockerd --iptables=false --ip6tables=false --bridge=none --data-root D/data
//   --exec-root D/exec --pidfile D/dockerd.pid -H unix://D/docker.sock` is ready in
//   ~0.3 s and starts its own managed containerd (under D/exec/containerd and
//   D/data/containerd); SIGTERM to its PID stops both. Storage driver: overlay2.
// - `HostConfig.Init: true` (`--init`) works: /usr/bin/docker-init (tini) is PID 1.
// - NetworkMode "none" works (loopback only).
// - User-created bridge networks work (`createNetwork({ name })`): the daemon
//   creates a `br-<id>` bridge on the host and picks a free 172.x subnet (or give
//   `subnet`). Containers on it reach each other by IP. Names do NOT resolve:
//   Docker's embedded DNS (127.0.0.11) needs the iptables rules we disable, so
//   address peers by IP (static `ipv4Address` or read it from inspect).
// - `NetworkMode: "container:<id>"` works: the second container shares the
//   first one's interfaces, address and listening ports. The first must run.
// - macvlan works only with an explicit `parent` interface: this kernel has
//   CONFIG_MACVLAN=y but no dummy interfaces (CONFIG_DUMMY unset), so Docker's
//   parent-less macvlan (which creates a dummy parent) fails with "operation not
//   supported". A veth pair as parent works (`ip link add X type veth peer name Y`).
// - ipvlan does not work at all: CONFIG_IPVLAN is unset ("operation not supported").
// - Busybox-static's `nc` has no `-k`; a persistent listener is `nc -ll -p 22 -e CMD`.
import { findBinary } from "./find_binary.ts";
import { waitUntil } from "./wait_until.ts";

/** A private dockerd started for a test; `close()` stops it by PID and removes its files. */
export interface DockerDaemon extends AsyncDisposable {
  /** `unix://<dir>/docker.sock`, for openDocker({ dockerHost }) and `docker -H`. */
  dockerHost: string;
  socketPath: string;
  /** PID of dockerd. */
  pid: number;
  /**
   * Stops dockerd (SIGTERM) and starts it again on the same data root and socket, as a host's
   * `systemctl restart docker` does: containers with a restart policy come back, others stay
   * stopped. `pid` changes.
   */
  restart(): Promise<void>;
  /** Stops dockerd (SIGTERM, SIGKILL after 15 s) and removes its directory; idempotent. */
  close(): Promise<void>;
}

/** Why dockerd cannot start here, or undefined when it can. */
export function dockerdUnavailable(): string | undefined {
  if (!findBinary("dockerd")) return "dockerd not installed (Debian package docker.io)";
  if (!findBinary("containerd")) return "containerd not installed (Debian package containerd)";
  if (Deno.uid() !== 0) return "dockerd needs root";
  return undefined;
}

/** Options for {@linkcode startDockerd}. */
export interface StartDockerdOptions {
  /**
   * Run dockerd inside this network namespace (see netns.ts) with its
   * iptables rules on: they then live in that namespace only, so tests of
   * Docker's own filtering (internal networks) touch nothing of the host's.
   */
  netns?: string;
}

/** Starts dockerd headless with a private data root, exec root, pidfile and socket. */
export async function startDockerd(options: StartDockerdOptions = {}): Promise<DockerDaemon> {
  const dir = await Deno.makeTempDir({ prefix: "dockerd-" });
  const socketPath = `${dir}/docker.sock`;
  const log = await Deno.open(`${dir}/dockerd.log`, { write: true, create: true });
  // nsenter joins the network namespace only (`ip netns exec` would also remount /sys, hiding
  // the cgroup tree dockerd needs) and execs dockerd, so the child's PID is dockerd's.
  const command = options.netns
    ? [findBinary("nsenter")!, `--net=/run/netns/${options.netns}`, findBinary("dockerd")!]
    : [findBinary("dockerd")!];
  const spawn = () => {
    const child = new Deno.Command(command[0], {
      args: [
        ...command.slice(1),
        `--iptables=${options.netns ? "true" : "false"}`,
        "--ip6tables=false",
        "--bridge=none",
        `--data-root=${dir}/data`,
        `--exec-root=${dir}/exec`,
        `--pidfile=${dir}/dockerd.pid`,
        `--host=unix://${socketPath}`,
        "--shutdown-timeout=2",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const logging = child.stderr.pipeTo(log.writable, { preventClose: true }).catch(() => {});
    return { child, logging };
  };
  let running = spawn();
  const halt = async () => {
    const { child, logging } = running;
    const killer = setTimeout(() => signal(child, "SIGKILL"), 15_000);
    signal(child, "SIGTERM");
    await child.status;
    clearTimeout(killer);
    await logging;
  };
  const stop = async () => {
    await halt();
    log.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  const ready = async () => {
    try {
      await waitUntil(() => pingSocket(socketPath), { what: "dockerd", timeoutMs: 30_000 });
    } catch (e) {
      const text = await Deno.readTextFile(`${dir}/dockerd.log`).catch(() => "");
      await close();
      throw new Error(`dockerd did not start: ${text.slice(-2000)}`, { cause: e });
    }
  };
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  await ready();
  const daemon: DockerDaemon = {
    dockerHost: `unix://${socketPath}`,
    socketPath,
    pid: running.child.pid,
    async restart() {
      await halt();
      running = spawn();
      daemon.pid = running.child.pid;
      await ready();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
  return daemon;
}

function signal(child: Deno.ChildProcess, name: Deno.Signal): void {
  try {
    child.kill(name);
  } catch {
    // already exited
  }
}

/** GET /_ping over the unix socket with a raw HTTP/1.0 request (no client library). */
async function pingSocket(socketPath: string): Promise<boolean> {
  const conn = await Deno.connect({ transport: "unix", path: socketPath });
  try {
    await conn.write(new TextEncoder().encode("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
    }
    const reply = new TextDecoder().decode(
      chunks.reduce((a, b) => new Uint8Array([...a, ...b]), new Uint8Array(0)),
    );
    return reply.startsWith("HTTP/1.") && reply.includes(" 200 ") && reply.endsWith("OK");
  } finally {
    conn.close();
  }
}
