import type { Bus, Subscription } from "../bus/mod.ts";
import { controlTopic } from "../bus/mod.ts";
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
  /**
   * When given, `stop` and `start` on `system.sniffer.control` (the worker
   * table's controls) stop and start the child; after each it asks for a
   * `report`, so the collector publishes the sniffer's health at once.
   */
  bus?: Bus;
}

/** Where the child is in its life. */
export type SnifferProcessState = "running" | "backoff" | "stopped";

/**
 * The sniffer as a child process of `decnet up` (not a Worker: FFI escapes
 * a Worker's sandbox, so it gets a process of its own holding nothing
 * else). Restarts it with growing backoff when it exits, like a crashed
 * worker; `stop()` sends SIGTERM and waits (SIGKILL after the grace), and
 * the child stays stopped until `start()`; `close()` stops it for good.
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
  /** Set from a stop until the next start: the child's exit is then no crash. */
  #stopping = false;
  #control: Subscription | null = null;
  /** Control requests, one after the other: a start asked during a stop waits for it. */
  #requests: Promise<void> = Promise.resolve();
  #failures = 0;
  #restarts = 0;
  #state: SnifferProcessState = "stopped";

  constructor(options: SnifferProcessOptions) {
    this.#o = options;
    this.#control = options.bus?.subscribe(controlTopic("sniffer"), ({ payload }) => {
      const action = payload.action;
      if (action !== "stop" && action !== "start") return;
      this.#requests = this.#requests.then(async () => {
        this.#o.log.info(`${action} requested over the bus`, { reason: payload.reason ?? null });
        if (action === "stop") await this.stop();
        else this.start();
        options.bus!.publish(controlTopic("sniffer"), {
          action: "report",
          at: new Date().toISOString(),
        });
      });
    }) ?? null;
  }

  /** Starts the child (a no-op when it runs or is about to). */
  start(): void {
    if (this.#closing || this.#child || this.#state === "backoff") return;
    this.#stopping = false;
    this.#spawn();
  }

  /**
   * Stops the child (SIGTERM, SIGKILL after the grace) and keeps it stopped,
   * with no restart, until {@linkcode SnifferProcess.start}.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
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

  status(): { state: SnifferProcessState; restarts: number; pid: number | null } {
    return { state: this.#state, restarts: this.#restarts, pid: this.#child?.pid ?? null };
  }

  /** Stops the child for good (see {@linkcode SnifferProcess.stop}); control requests are ignored. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#control?.unsubscribe();
    await this.#requests;
    await this.stop();
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
      if (this.#stopping) {
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
      if (this.#stopping) return;
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
