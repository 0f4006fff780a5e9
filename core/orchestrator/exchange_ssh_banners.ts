import { shellScript } from "../docker/mod.ts";
import type { DockerClient } from "../docker/mod.ts";

/** Client identification lines real OpenSSH clients send. */
export const SSH_CLIENT_IDENTS: readonly string[] = [
  "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
  "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10",
  "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5",
  "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u3",
];

/** Options for {@linkcode exchangeSshBanners}. */
export interface ExchangeSshBannersOptions {
  /** Destination address (an IP: decky names do not resolve). */
  host: string;
  /** @default 22 */
  port?: number;
  /** The identification line sent (no CR LF). */
  clientIdent: string;
  /** @default 15000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What the exchange showed. */
export interface SshBannerResult {
  /** The banner starts with "SSH-". */
  ok: boolean;
  /** The server's first line, without CR LF ("" when none). */
  banner: string;
  exitCode: number;
  stderr: string;
  /** Which client tool carried it: python3, nc or bash; null when none was found. */
  tool: string | null;
}

// $1 host, $2 port, $3 client identification line. Tries python3, then nc,
// then bash's /dev/tcp; prints "tool=<name>" on stderr's first line.
const EXCHANGE_SCRIPT = `host="$1"; port="$2"; ident="$3"
if command -v python3 >/dev/null 2>&1; then
  echo "tool=python3" >&2
  exec python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
s.sendall(sys.argv[3].encode() + b"\\r\\n")
buf = b""
while b"\\n" not in buf and len(buf) < 1024:
    chunk = s.recv(256)
    if not chunk:
        break
    buf += chunk
s.close()
sys.stdout.write(buf.split(b"\\n")[0].decode("latin-1") + "\\n")
' "$host" "$port" "$ident"
elif command -v nc >/dev/null 2>&1; then
  echo "tool=nc" >&2
  printf '%s\\r\\n' "$ident" | nc -w 10 "$host" "$port" | head -n 1
elif command -v bash >/dev/null 2>&1; then
  echo "tool=bash" >&2
  exec bash -c 'exec 3<>"/dev/tcp/$1/$2" || exit 1; printf "%s\\r\\n" "$3" >&3; head -n 1 <&3' bash "$host" "$port" "$ident"
else
  echo "no TCP client in the container (looked for python3, nc, bash)" >&2
  exit 127
fi
`;

/**
 * Opens TCP from inside a container to `host:port`, sends an SSH client
 * identification line and reads the server's banner: real SSH protocol
 * bytes between two deckies, no credentials. Uses python3, nc or bash's
 * /dev/tcp, whichever the container has.
 *
 * @param docker the Docker client
 * @param container the source container (name or id)
 * @param options destination, identification line and time limit
 * @returns the banner and whether it looks like SSH
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 */
export async function exchangeSshBanners(
  docker: DockerClient,
  container: string,
  options: ExchangeSshBannersOptions,
): Promise<SshBannerResult> {
  const result = await docker.exec(
    container,
    shellScript(EXCHANGE_SCRIPT, [options.host, String(options.port ?? 22), options.clientIdent]),
    { timeoutMs: options.timeoutMs ?? 15_000, signal: options.signal },
  );
  const stderrLines = new TextDecoder().decode(result.stderr).split("\n");
  const toolLine = stderrLines[0]?.startsWith("tool=") ? stderrLines.shift()! : null;
  const banner = new TextDecoder("latin1").decode(result.stdout).split("\n")[0].replace(/\r$/, "");
  return {
    ok: banner.startsWith("SSH-"),
    banner: banner.slice(0, 255),
    exitCode: result.exitCode,
    stderr: stderrLines.join("\n").trim().slice(0, 2000),
    tool: toolLine ? toolLine.slice("tool=".length) : null,
  };
}
