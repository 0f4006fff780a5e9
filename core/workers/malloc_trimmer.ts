import process from "node:process";
import type { Logger } from "../log/mod.ts";
import { openMallocTrim } from "./open_malloc_trim.ts";

const MiB = 1024 * 1024;

/** Options for {@linkcode MallocTrimmer}. */
export interface MallocTrimmerOptions {
  log?: Logger;
  /** How often the process is looked at. @default 5000 */
  intervalMs?: number;
  /** Growth of the RSS over its last low point that is worth a trim. @default 8 MiB */
  minGrowthBytes?: number;
  /** The process counts as quiet below this share of one CPU over an interval. @default 0.1 */
  quietCpuShare?: number;
  /** Tests: what is measured and called instead of the process's own. */
  probe?: {
    rssBytes(): number;
    cpuMs(): number;
    trim(): boolean;
  };
}

/**
 * Gives native memory back to the kernel when `decnet up` goes quiet after
 * work. Each Worker's thread mallocs from its own glibc arena; memory freed
 * there after a load or a cold start (Deno's module analysis) stays in the
 * arena and in the RSS: 10-20 MiB after the bench's loads, ~60 MiB after a
 * cold start of the bundle (tests/bench/RESULTS.md, "Native memory"). Every
 * `intervalMs` it reads the RSS and the CPU the process used; when the RSS
 * grew by `minGrowthBytes` over its lowest point since the last trim and the
 * last interval was quiet, it calls malloc_trim(0) (a few milliseconds;
 * under load the freed pages would be faulted in again at once). Where
 * malloc_trim cannot be had (not glibc, FFI not granted) it does nothing.
 *
 * @example
 * ```ts
 * using trimmer = new MallocTrimmer();
 * ```
 */
export class MallocTrimmer implements Disposable {
  readonly #options: MallocTrimmerOptions;
  readonly #probe: NonNullable<MallocTrimmerOptions["probe"]>;
  readonly #close: () => void;
  #timer?: ReturnType<typeof setInterval>;
  #low: number;
  #cpuMs: number;

  constructor(options: MallocTrimmerOptions = {}) {
    this.#options = options;
    let probe = options.probe;
    let close = () => {};
    if (!probe) {
      const libc = openMallocTrim();
      if (libc) {
        close = () => libc[Symbol.dispose]();
        probe = {
          rssBytes: () => Deno.memoryUsage().rss,
          cpuMs: () => {
            const { user, system } = process.cpuUsage();
            return (user + system) / 1000;
          },
          trim: () => libc.trim(),
        };
      }
    }
    this.#close = close;
    this.#probe = probe ?? { rssBytes: () => 0, cpuMs: () => 0, trim: () => false };
    this.#low = this.#probe.rssBytes();
    this.#cpuMs = this.#probe.cpuMs();
    if (probe) {
      const timer = setInterval(() => this.check(), options.intervalMs ?? 5000);
      // A housekeeping timer: it never keeps the process alive.
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
  }

  /**
   * Looks at the process once (the timer calls it every interval); trims
   * when the RSS grew and the interval since the last look was quiet.
   *
   * @param elapsedMs time since the last look @default intervalMs
   * @returns the bytes the trim released, or null when it did not trim
   */
  check(elapsedMs: number = this.#options.intervalMs ?? 5000): number | null {
    const rss = this.#probe.rssBytes();
    const cpuMs = this.#probe.cpuMs();
    const busy = (cpuMs - this.#cpuMs) / elapsedMs >= (this.#options.quietCpuShare ?? 0.1);
    this.#cpuMs = cpuMs;
    this.#low = Math.min(this.#low, rss);
    if (busy || rss - this.#low < (this.#options.minGrowthBytes ?? 8 * MiB)) return null;
    const started = performance.now();
    this.#probe.trim();
    const after = this.#probe.rssBytes();
    this.#low = after;
    this.#options.log?.debug("native memory trimmed", {
      rss_mib: Math.round(after / MiB),
      released_mib: Math.round((rss - after) / MiB),
      ms: Math.round(performance.now() - started),
    });
    return rss - after;
  }

  [Symbol.dispose](): void {
    clearInterval(this.#timer);
    this.#close();
  }
}
