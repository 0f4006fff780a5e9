import { abortableSleep } from "../abortable_sleep.ts";

/** What the control plane can ask of a running sensor. */
export interface SensorControlHandlers {
  /** `kill-<session>`: end that live session. */
  kill(session: string): void;
  /**
   * `trust-<sha256 hex>`: an SSH public key of the fleet's own (the SHA-256
   * of its key blob): sessions that offer it are the orchestrator's, benign.
   */
  trust(keySha256: string): void;
}

/** Options for {@linkcode watchSensorControl}. */
export interface WatchSensorControlOptions {
  signal: AbortSignal;
  /** Pause between looks at the folder. @default 1000 */
  intervalMs?: number;
}

const KILL_REGEXP = /^kill-([A-Za-z0-9-]{1,64})$/;
const TRUST_REGEXP = /^trust-([0-9a-f]{64})$/;

/**
 * Follows the sensor's control folder, which the control plane writes
 * through the Docker API (an archive copied into the container: no exec, no
 * shell, no network path) and the sensor may only read: each new file names
 * a request (`kill-<session id>`, `trust-<key sha256>`); its content is
 * never read. The folder is
 * looked at once a second, which also works where inotify does not see
 * writes made from the host; each file is acted on once.
 *
 * @param dir the control folder (absent: nothing is asked yet)
 * @param handlers what to do for each request
 * @param options stop signal and pace
 * @returns resolves when `signal` aborts
 * @example
 * ```ts
 * const stop = new AbortController();
 * const watching = watchSensorControl("/run/netd", {
 *   kill: (id) => console.info("kill", id),
 *   trust: (sha256) => console.info("trust", sha256),
 * }, { signal: stop.signal });
 * stop.abort();
 * await watching;
 * ```
 */
export async function watchSensorControl(
  dir: string,
  handlers: SensorControlHandlers,
  options: WatchSensorControlOptions,
): Promise<void> {
  const seen = new Set<string>();
  while (!options.signal.aborted) {
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (!entry.isFile || seen.has(entry.name)) continue;
        seen.add(entry.name);
        const kill = KILL_REGEXP.exec(entry.name);
        if (kill) handlers.kill(kill[1]);
        const trust = TRUST_REGEXP.exec(entry.name);
        if (trust) handlers.trust(trust[1]);
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    await abortableSleep(options.intervalMs ?? 1000, options.signal);
  }
}
