import type { SensorSession } from "../sensor_service.ts";
import {
  Client,
  type ClientChannel,
  type Connection,
  type PseudoTtyInfo,
  type ServerChannel,
  type UpstreamClient,
} from "./_ssh2.ts";
import { ShellRecorder } from "./shell_recorder.ts";

/** Options for {@linkcode connectUpstream}. */
export interface ConnectUpstreamOptions {
  hostname: string;
  port: number;
  username: string;
  /** Private key, OpenSSH or PEM format. */
  privateKey: string;
  signal: AbortSignal;
}

/**
 * Logs in to the decky's real sshd with the decky's own key. Its host key is
 * not checked: it listens only on the decky's loopback, which nobody else
 * reaches.
 *
 * @example
 * ```ts
 * declare const privateKey: string;
 * const upstream = await connectUpstream({
 *   hostname: "127.0.0.1", port: 2222, username: "root", privateKey, signal: AbortSignal.timeout(10_000),
 * });
 * ```
 * @throws {Error} when the connection or the login fails
 */
export function connectUpstream(
  options: ConnectUpstreamOptions,
): Promise<UpstreamClient> {
  const upstream = new Client();
  return new Promise((resolve, reject) => {
    const onAbort = () => upstream.end();
    options.signal.addEventListener("abort", onAbort, { once: true });
    upstream.once("ready", () => resolve(upstream));
    upstream.on("error", (e) => reject(e)); // also after login: never an unhandled "error"
    upstream.once("close", () => {
      options.signal.removeEventListener("abort", onAbort);
      reject(new Error(`Cannot log in to ${options.hostname}:${options.port}: connection closed`));
    });
    upstream.connect({
      host: options.hostname,
      port: options.port,
      username: options.username,
      privateKey: options.privateKey,
      readyTimeout: 10_000,
    });
  });
}

type Emit = SensorSession["emit"];

/**
 * Relays every session channel of an authenticated client to the upstream
 * sshd with the same requests (pty-req, env, shell, exec, subsystem,
 * window-change, signal), bytes both ways, and records commands: each exec
 * request, and each line typed into a shell plus its raw keystroke batches.
 *
 * @example
 * ```ts
 * import type { SensorSession } from "../sensor_service.ts";
 * import type { Connection, UpstreamClient } from "./_ssh2.ts";
 * declare const client: Connection;
 * declare const session: SensorSession;
 * declare const upstream: UpstreamClient;
 * relaySessions(client, upstream, session.emit);
 * ```
 */
export function relaySessions(
  client: Connection,
  upstream: UpstreamClient,
  emit: Emit,
): void {
  client.on("session", (acceptSession) => {
    const session = acceptSession();
    let pty: PseudoTtyInfo | false = false;
    const env: Record<string, string> = {};
    let remote: ClientChannel | undefined;
    session.on("pty", (accept, _reject, info) => {
      pty = info;
      accept?.();
    });
    session.on("env", (accept, _reject, info) => {
      env[info.key] = info.val;
      accept?.();
    });
    session.on("window-change", (accept, _reject, info) => {
      if (pty) pty = { ...pty, ...info };
      remote?.setWindow(info.rows, info.cols, info.height, info.width);
      accept?.();
    });
    session.on("signal", (accept, _reject, info) => {
      remote?.signal(info.name);
      accept?.();
    });
    // Accepted at once, as the library ends a session whose client sends
    // EOF before the reply; input waits in the channel until the upstream
    // channel is open.
    session.on("exec", (accept, _reject, info) => {
      emit("command", { command: info.command });
      const local = accept();
      upstream.exec(info.command, { pty, env }, (err, channel) => {
        remote = channel;
        join(local, err ? undefined : channel);
      });
    });
    session.on("shell", (accept) => {
      const local = accept();
      upstream.shell(pty, { env }, (err, channel) => {
        remote = channel;
        join(local, err ? undefined : channel, shellRecording(emit));
      });
    });
    session.on("subsystem", (accept, _reject, info) => {
      emit("command", { command: `subsystem ${info.name}` });
      const local = accept();
      upstream.subsys(info.name, (err, channel) => {
        remote = channel;
        join(local, err ? undefined : channel);
      });
    });
  });
  client.on("close", () => upstream.end());
  upstream.on("close", () => client.end());
}

interface InputTap {
  data(bytes: Uint8Array): void;
  end(): void;
}

function shellRecording(emit: Emit): InputTap {
  const recorder = new ShellRecorder();
  return {
    data(bytes) {
      const { lines, keystrokes } = recorder.feed(bytes);
      for (const batch of keystrokes) emit("command", { keystrokes: batch });
      for (const command of lines) emit("command", { command });
    },
    end() {
      for (const batch of recorder.flush()) emit("command", { keystrokes: batch });
    },
  };
}

function join(local: ServerChannel, remote: ClientChannel | undefined, tap?: InputTap): void {
  if (!remote) {
    // The decky's sshd refused the channel: end it as a failed command would.
    local.exit(1);
    local.close();
    return;
  }
  local.on("data", (bytes: Uint8Array) => {
    tap?.data(bytes);
    remote.write(bytes);
  });
  local.on("end", () => remote.end());
  local.on("close", () => {
    tap?.end();
    remote.close();
  });
  remote.on("data", (bytes: Uint8Array) => local.write(bytes));
  remote.stderr.on("data", (bytes: Uint8Array) => local.stderr.write(bytes));
  remote.on("exit", (code: number | null, signal?: string, core?: boolean, message?: string) => {
    if (code !== null) local.exit(code);
    else local.exit(signal ?? "KILL", core ?? false, message ?? "");
  });
  // sshd sends EOF before the exit status; the library drops an exit status
  // after EOF, so the client's channel ends (EOF, then close) only when the
  // upstream one closes.
  remote.on("close", () => local.end());
}
