import type { Logger } from "../log/mod.ts";
import { type RestartBackoffOptions, restartDelayMs } from "../workers/restart_backoff.ts";
import type { SnifferCommandLine } from "./sniffer_command_line.ts";

/** Options for {@linkcode SnifferProcess}. */
export interface SnifferProcessOptions {
  line: SnifferCommandLine;
  log: Logger;
  random?: () => number;
  backoff?: RestartBackoffOptions;
  /** Running this long resets the backoff. @default 60000 */
  stableAfterMs?: number;
  /** Grace after SIGTERM before SIGKILL. @default 10000 */
  stopTimeoutMs?: number;
}

/** Where the child is in its life. */
export type SnifferProcessState = "running" | "backoff" | "stopped";

/**
 * The sniffer as a child process of `decnet up` (not a Worker: FFI escapes
 * a Worker's sandbox, so it gets a process of its own holding nothing
 * else). Restarts it with growing backoff when it exits, like a crashed
 * worker; `close()` sends SIGTERM and waits (SIGKILL after the grace).
 * Its output goes to this process's stdout and stderr.
 *
 * @example
 * ```ts
 * import type { Logger } from "../log/mod.ts";
 * import type { SnifferCommandLine } from "./sniffer_command_line.ts";
 * import { SnifferProcess } from "./sniffer_process.ts";
 * declare const line: SnifferCommandLine;
 * declare const log: Logger;
 * await using sniffer = new SnifferProcess({ line, log });
 * sniffer.start();
 * ```
 */
export class SnifferProcess implements AsyncDisposable {
  readonly #o: SnifferProcessOptions;
  #child: Deno.ChildProcess | null = null;
  #exited: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closing = false;
  #failures = 0;
  #restarts = 0;
  #state: SnifferProcessState = "stopped";

  constructor(options: SnifferProcessOptions) {
    this.#o = options;
  }

  /** Starts the child (a no-op when it runs or is about to). */
  start(): void {
    if (this.#closing || this.#child || this.#state === "backoff") return;
    this.#spawn();
  }

  status(): { state: SnifferProcessState; restarts: number; pid: number | null } {
    return { state: this.#state, restarts: this.#restarts, pid: this.#child?.pid ?? null };
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    const child = this.#child;
    if (child) {
      signal(child, "SIGTERM");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.#o.log.warn("sniffer did not stop in time; killing it", { pid: child.pid });
          signal(child, "SIGKILL");
          resolve();
        }, this.#o.stopTimeoutMs ?? 10_000);
      });
      await Promise.race([this.#exited, killed]);
      await this.#exited;
      clearTimeout(timer);
    }
    this.#state = "stopped";
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #spawn(): void {
    const { line, log } = this.#o;
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(line.command, {
        args: line.args,
        env: line.env,
        clearEnv: true,
        cwd: line.cwd,
        // Held open and never written: its end tells the child this process is gone.
        stdin: "piped",
        stdout: "inherit",
        stderr: "inherit",
      }).spawn();
    } catch (e) {
      this.#exitedWith(`cannot spawn: ${(e as Error).message}`, Date.now());
      return;
    }
    const startedAt = Date.now();
    this.#child = child;
    this.#state = "running";
    log.info("sniffer started", { pid: child.pid, restarts: this.#restarts });
    this.#exited = child.status.then((status) => {
      this.#child = null;
      const how = status.signal ? `signal ${status.signal}` : `exit code ${status.code}`;
      if (this.#closing) {
        log.info("sniffer stopped", { status: how });
        return;
      }
      this.#exitedWith(how, startedAt);
    });
  }

  #exitedWith(how: string, startedAt: number): void {
    if (Date.now() - startedAt >= (this.#o.stableAfterMs ?? 60_000)) this.#failures = 0;
    this.#failures++;
    this.#restarts++;
    this.#state = "backoff";
    const delay = restartDelayMs(this.#failures, this.#o.random ?? Math.random, this.#o.backoff);
    this.#o.log.error("sniffer exited; restarting", {
      status: how,
      restarts: this.#restarts,
      delay_ms: delay,
    });
    this.#timer = setTimeout(() => {
      if (this.#closing) return;
      this.#spawn();
    }, delay);
  }
}

function signal(child: Deno.ChildProcess, name: Deno.Signal): void {
  try {
    child.kill(name);
  } catch {
    // Already exited.
  }
}
