import { shellScript } from "../docker/mod.ts";
import type { DockerClient } from "../docker/mod.ts";

/** Options for {@linkcode runSshSession}. */
export interface RunSshSessionOptions {
  /** Container of the source decky (where the client runs). */
  src: string;
  /** Container of the peer (where the key is authorised). */
  dst: string;
  /** The persona's login, the same on both. */
  login: string;
  /** The peer's address. */
  dstIp: string;
  /** The peer's sshd port. @default 22 */
  port?: number;
  /** Typed in the session, then `exit`. */
  commands: readonly string[];
  /**
   * The public key ("type base64") an earlier session authorised on this peer
   * for this login: while the persona's key pair is still that one, the key
   * and authorize steps are skipped (one exec instead of three).
   */
  authorizedKey?: string | null;
  /**
   * Called with the key ("type base64") just before each login with it:
   * where the session goes to a sensor, the fleet tells it the key is its own.
   */
  beforeSession?: (authorizedKey: string) => Promise<unknown>;
  /** @default 30000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** How the session went. */
export interface SshSessionResult {
  /** Every step ran and the peer let the persona in. */
  ok: boolean;
  /** Which step stopped it: key, authorize or session (null when ok). */
  failedStep: "key" | "authorize" | "session" | null;
  /** Exit status of the failed step, else of the session (the last command's on the peer). */
  exitCode: number;
  stderr: string;
  /** The key ("type base64") authorised on the peer, for the next session's `authorizedKey`. */
  authorizedKey: string | null;
}

// Each script runs as the persona (docker exec --user: no su/PAM session on
// the source, files owned as the user's own tools leave them).
// The key pair: made once by the decky's own ssh-keygen; the public half is derived from the
// private key that is there now. Bait may have replaced the key since: ssh offers the .pub
// beside it and then cannot sign with the private key, so a stale .pub is rewritten.
const KEY_SCRIPT = `command -v ssh-keygen >/dev/null 2>&1 || exit 127
cd || exit 3
[ -d .ssh ] || mkdir -m 700 .ssh || exit 3
[ -f .ssh/id_ed25519 ] || ssh-keygen -q -t ed25519 -N '' -f .ssh/id_ed25519 </dev/null >/dev/null || exit 3
pub=$(ssh-keygen -y -f .ssh/id_ed25519) || exit 3
have=$(cut -d ' ' -f 1,2 .ssh/id_ed25519.pub 2>/dev/null)
[ "$have" = "$(printf '%s' "$pub" | cut -d ' ' -f 1,2)" ] || printf '%s\\n' "$pub" > .ssh/id_ed25519.pub || exit 3
printf '%s\\n' "$pub"
`;
// $1 the public key line, appended once to the peer's authorized_keys (0600 in a 0700 .ssh).
const AUTHORIZE_SCRIPT = `cd || exit 3
umask 077
[ -d .ssh ] || mkdir -m 700 .ssh || exit 3
grep -qxF -- "$1" .ssh/authorized_keys 2>/dev/null || printf '%s\\n' "$1" >> .ssh/authorized_keys
`;
// $1 the peer. The line goes to the user's history as bash would keep it
// (0600, created by the user), then the shell becomes the real client: an
// interactive session with a terminal, so the peer's sshd, PAM, wtmp,
// lastlog and the peer's bash (its own history) record it as their own.
// The host key is learned the way a user accepts it the first time. BatchMode:
// a refused key must not fall back to a password prompt, which would read the
// commands on stdin as passwords (and leave "Failed password" lines on the peer).
// $2 the key authorised on the peer ("type base64"): when the pair is no longer
// that one (bait replaced it, the decky was redeployed), nothing is done and
// the status is 100, so the caller authorises the key afresh. $3 the port, typed
// as a user does (`-p` only when it is not 22).
const SESSION_SCRIPT = `command -v ssh >/dev/null 2>&1 || { echo "no ssh client" >&2; exit 255; }
cd || exit 255
key=$(ssh-keygen -y -f .ssh/id_ed25519 2>/dev/null | cut -d ' ' -f 1,2)
[ -n "$key" ] && [ "$key" = "$2" ] && [ "$(cut -d ' ' -f 1,2 .ssh/id_ed25519.pub 2>/dev/null)" = "$2" ] || exit 100
if [ "$3" = 22 ]; then set -- "$1"; else set -- -p "$3" "$1"; fi
(umask 077; printf 'ssh %s\\n' "$*" >> .bash_history)
exec ssh -tt -o BatchMode=yes -o StrictHostKeyChecking=accept-new "$@"
`;

const decoder = new TextDecoder();

/**
 * Runs a real SSH session between two deckies as a persona: the source's
 * ssh-keygen makes the persona's key pair once, the public key is
 * authorised in the persona's home on the peer, then the source's own ssh
 * client logs in to the peer's own sshd, types the commands and exits. The
 * peer's sshd writes its own auth.log, wtmp and lastlog lines. Given the key
 * an earlier session authorised (`authorizedKey`), the session runs at once
 * while the pair is unchanged; otherwise, or when the peer refuses it, the
 * key is authorised afresh first.
 *
 * @param docker the Docker client
 * @param options containers, login, peer address and commands
 * @returns whether every step succeeded, and which one failed
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import { runSshSession } from "./run_ssh_session.ts";
 * declare const docker: DockerClient;
 * await runSshSession(docker, { src: "ws-01-ssh", dst: "ws-02-ssh", login: "ana", dstIp: "192.0.2.12", commands: ["uptime"] });
 * ```
 */
export async function runSshSession(
  docker: DockerClient,
  options: RunSshSessionOptions,
): Promise<SshSessionResult> {
  const call = { user: options.login, signal: options.signal };
  const session = async (key: string) => {
    await options.beforeSession?.(key);
    return await docker.exec(
      options.src,
      shellScript(SESSION_SCRIPT, [options.dstIp, key, String(options.port ?? 22)]),
      {
        ...call,
        stdin: [...options.commands, "exit", ""].join("\n"),
        timeoutMs: options.timeoutMs ?? 30_000,
      },
    );
  };
  if (options.authorizedKey) {
    const r = await session(options.authorizedKey);
    // 100: the pair changed; 255: the peer refused it (e.g. redeployed): authorise afresh.
    if (r.exitCode !== 100 && r.exitCode !== 255) return done(r, options.authorizedKey);
  }
  const key = await docker.exec(options.src, shellScript(KEY_SCRIPT), {
    ...call,
    timeoutMs: 20_000,
  });
  const publicKey = decoder.decode(key.stdout).trim();
  if (key.exitCode !== 0 || !publicKey.startsWith("ssh-")) return failed("key", key);
  const auth = await docker.exec(options.dst, shellScript(AUTHORIZE_SCRIPT, [publicKey]), {
    ...call,
    timeoutMs: 20_000,
  });
  if (auth.exitCode !== 0) return failed("authorize", auth);
  const authorized = publicKey.split(" ").slice(0, 2).join(" ");
  const r = await session(authorized);
  // 255 is ssh's own failure; any other status is the last command's on the
  // peer, passed on by the shell's `exit` (the session itself took place).
  if (r.exitCode === 255 || r.exitCode === 100) return failed("session", r);
  return done(r, authorized);
}

function done(r: { exitCode: number }, authorizedKey: string): SshSessionResult {
  return { ok: true, failedStep: null, exitCode: r.exitCode, stderr: "", authorizedKey };
}

function failed(
  step: "key" | "authorize" | "session",
  r: { exitCode: number; stderr: Uint8Array },
): SshSessionResult {
  return {
    ok: false,
    failedStep: step,
    exitCode: r.exitCode,
    stderr: decoder.decode(r.stderr).trim().slice(0, 2000),
    authorizedKey: null,
  };
}
