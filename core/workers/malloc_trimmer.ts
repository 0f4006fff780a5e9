import process from "node:process";
import type { Logger } from "../log/mod.ts";
import { openMallocTrim } from "./open_malloc_trim.ts";

const MiB = 1024 * 1024;

/** Options for {@linkcode MallocTrimmer}. */
export interface MallocTrimmerOptions {
  log?: Logger;
  /** How often the process is looked at. @default 5000 */
  intervalMs?: number;
  /** Longest wait between two trims of a quiet process. @default 600000 */
  maxIntervalMs?: number;
  /** Growth of the RSS over its last low point that is worth a trim at once. @default 8 MiB */
  minGrowthBytes?: number;
  /** The process counts as quiet below this share of one CPU over an interval. @default 0.1 */
  quietCpuShare?: number;
  /**
   * Called first at each trim: shrinks the isolates' heaps (`reduceHeap()`
   * here, a "reduce-memory" message to each Worker), which frees what the
   * trim then gives back. With it the trimmer runs also where malloc_trim
   * cannot be had.
   */
  reduceHeaps?: () => void;
  /** Tests: what is measured and called instead of the process's own. */
  probe?: {
    rssBytes(): number;
    cpuMs(): number;
    trim(): boolean;
  };
  /** Milliseconds on a monotonic clock. @default performance.now */
  now?: () => number;
}

/**
 * Gives native memory back to the kernel when `decnet up` is quiet. Each
 * Worker's thread mallocs from its own glibc arena; memory freed there after
 * a load or a cold start (Deno's module analysis) stays in the arena and in
 * the RSS: 10-25 MiB after the bench's loads, ~60 MiB after a cold start of
 * the bundle (tests/bench/RESULTS.md, "Native memory"). Every `intervalMs`
 * it reads the RSS and the CPU the process used, and calls malloc_trim(0)
 * (milliseconds to a few hundred on a loaded machine, on this thread) when
 * the last interval was quiet and either work just ended (the interval before
 * was busy), the RSS grew by `minGrowthBytes` over its lowest point, or the
 * last trim is old: memory is freed also when nothing seems to happen (the
 * isolates' idle garbage collections), so a trim that released something is
 * followed by another after `intervalMs`, one that released nothing after
 * twice its wait, up to `maxIntervalMs`. Under load it never trims (the
 * freed pages would be faulted in again at once). Each trim first calls
 * `reduceHeaps` (V8 gives back a grown heap only under memory pressure,
 * which nothing in the process reports). Where malloc_trim cannot be had
 * (not glibc, FFI not granted) it only reduces the heaps, or without
 * `reduceHeaps` does nothing.
 *
 * @example
 * ```ts
 * using trimmer = new MallocTrimmer();
 * ```
 */
export class MallocTrimmer implements Disposable {
  readonly #options: MallocTrimmerOptions;
  readonly #probe: NonNullable<MallocTrimmerOptions["probe"]>;
  readonly #now: () => number;
  readonly #close: () => void;
  #timer?: ReturnType<typeof setInterval>;
  #low: number;
  #cpuMs: number;
  #lookedAt: number;
  #busy = false;
  #wait: number;
  #nextTrimAt: number;

  constructor(options: MallocTrimmerOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    let probe = options.probe;
    let close = () => {};
    if (!probe) {
      const libc = openMallocTrim();
      if (libc) close = () => libc[Symbol.dispose]();
      if (libc || options.reduceHeaps) {
        probe = {
          rssBytes: () => Deno.memoryUsage().rss,
          cpuMs: () => {
            const { user, system } = process.cpuUsage();
            return (user + system) / 1000;
          },
          trim: () => libc?.trim() ?? false,
        };
      }
    }
    this.#close = close;
    this.#probe = probe ?? { rssBytes: () => 0, cpuMs: () => 0, trim: () => false };
    this.#low = this.#probe.rssBytes();
    this.#cpuMs = this.#probe.cpuMs();
    this.#lookedAt = this.#now();
    this.#wait = this.#interval;
    this.#nextTrimAt = this.#lookedAt + this.#wait;
    if (probe) {
      const timer = setInterval(() => this.check(), this.#interval);
      // A housekeeping timer: it never keeps the process alive.
      Deno.unrefTimer(timer);
      this.#timer = timer;
    }
  }

  get #interval(): number {
    return this.#options.intervalMs ?? 5000;
  }

  /**
   * Looks at the process once (the timer calls it every interval) and trims
   * when it should (see the class).
   *
   * @returns the bytes the trim released, or null when it did not trim
   */
  check(): number | null {
    const now = this.#now();
    const rss = this.#probe.rssBytes();
    const cpuMs = this.#probe.cpuMs();
    const share = (cpuMs - this.#cpuMs) / Math.max(1, now - this.#lookedAt);
    this.#cpuMs = cpuMs;
    this.#lookedAt = now;
    this.#low = Math.min(this.#low, rss);
    if (share >= (this.#options.quietCpuShare ?? 0.1)) {
      this.#busy = true;
      return null;
    }
    const grew = rss - this.#low >= (this.#options.minGrowthBytes ?? 8 * MiB);
    if (!this.#busy && !grew && now < this.#nextTrimAt) return null;
    this.#busy = false;
    const started = this.#now();
    this.#options.reduceHeaps?.();
    this.#probe.trim();
    const after = this.#probe.rssBytes();
    const released = rss - after;
    this.#low = after;
    this.#wait = released >= MiB
      ? this.#interval
      : Math.min(this.#wait * 2, this.#options.maxIntervalMs ?? 600_000);
    this.#nextTrimAt = now + this.#wait;
    this.#options.log?.debug("native memory trimmed", {
      rss_mib: Math.round(after / MiB),
      released_mib: Math.round(released / MiB),
      ms: Math.round(this.#now() - started),
    });
    return released;
  }

  [Symbol.dispose](): void {
    clearInterval(this.#timer);
    this.#close();
  }
}
