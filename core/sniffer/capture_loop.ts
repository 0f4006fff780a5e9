import type { Logger } from "../log/mod.ts";
import type { CaptureCounters, CapturedFrame, FrameSource } from "./pcap_capture.ts";
import { synFilter } from "./syn_filter.ts";

/** Options for {@linkcode CaptureLoop}. */
export interface CaptureLoopOptions {
  /** Opens a capture on an interface (libpcap in production, a fake in tests). */
  open(iface: string): FrameSource;
  /** Waits up to `timeoutMs` until some of `fds` are readable; resolves with those. */
  poll(fds: readonly number[], timeoutMs: number): Promise<number[]>;
  /** Called with each batch of frames read from one source (may be async: the loop awaits it). */
  onFrames(frames: CapturedFrame[], source: FrameSource): void | Promise<void>;
  log: Logger;
  /** Longest wait in one poll, and so the delay of a plan change or stop. @default 200 */
  pollMs?: number;
  /** Frames read per source per turn. @default 1024 */
  batch?: number;
}

/** Totals of the captures, closed ones included. */
export interface CaptureLoopStats extends CaptureCounters {
  /** Interfaces captured on now. */
  interfaces: string[];
  /** Frames handed on. */
  frames: number;
}

/**
 * Captures on a changing set of interfaces, each with its own kernel
 * filter: {@linkcode CaptureLoop.plan} says which addresses to watch where
 * (applied between two polls, so no capture is closed while another thread
 * polls its descriptor). One `poll` covers every capture.
 *
 * @example
 * ```ts
 * import type { CaptureLoopOptions } from "./capture_loop.ts";
 * import { CaptureLoop } from "./capture_loop.ts";
 * declare const options: CaptureLoopOptions;
 * const loop = new CaptureLoop(options);
 * loop.plan(new Map([["br-decoys", ["192.0.2.10"]]]));
 * const stop = new AbortController();
 * await loop.run(stop.signal);
 * ```
 */
export class CaptureLoop {
  readonly #o: CaptureLoopOptions;
  readonly #sources = new Map<string, { source: FrameSource; filter: string }>();
  #wanted = new Map<string, string[]>();
  #dirty = false;
  /** Counters of captures already closed (kernel counters end with their capture). */
  readonly #closedTotals: CaptureCounters = { received: 0, dropped: 0, ifDropped: 0 };
  #frames = 0;
  /** Interfaces whose last open failed, so the failure is logged once, not every turn. */
  readonly #failed = new Set<string>();
  /** Interfaces whose last read failed (logged once until a read succeeds). */
  readonly #readFailed = new Set<string>();

  constructor(options: CaptureLoopOptions) {
    this.#o = options;
  }

  /** Sets the addresses to watch per interface (takes effect before the next poll). */
  plan(interfaces: ReadonlyMap<string, readonly string[]>): void {
    const same = interfaces.size === this.#wanted.size &&
      [...interfaces].every(([k, v]) => this.#wanted.get(k)?.join() === v.join());
    if (same && this.#failed.size === 0) return;
    this.#wanted = new Map([...interfaces].map(([k, v]) => [k, [...v]]));
    this.#dirty = true;
  }

  stats(): CaptureLoopStats {
    const totals = { ...this.#closedTotals };
    for (const { source } of this.#sources.values()) {
      const c = this.#counters(source);
      totals.received += c.received;
      totals.dropped += c.dropped;
      totals.ifDropped += c.ifDropped;
    }
    return { ...totals, interfaces: [...this.#sources.keys()].sort(), frames: this.#frames };
  }

  /** Captures until `signal` aborts, then closes every capture. */
  async run(signal: AbortSignal): Promise<void> {
    const pollMs = this.#o.pollMs ?? 200;
    try {
      while (!signal.aborted) {
        if (this.#dirty) this.#apply();
        const byFd = new Map([...this.#sources.values()].map((s) => [s.source.fd, s.source]));
        const ready = await this.#o.poll([...byFd.keys()], pollMs);
        for (const fd of ready) {
          const source = byFd.get(fd);
          if (!source) continue;
          let frames: CapturedFrame[];
          try {
            frames = source.read(this.#o.batch ?? 1024);
          } catch (e) {
            // The interface went away (its network was removed): reopened when planned again.
            if (!this.#readFailed.has(source.interface)) {
              this.#o.log.warn("capture failed", { interface: source.interface, error: String(e) });
            }
            this.#readFailed.add(source.interface);
            this.#close(source.interface);
            this.#failed.add(source.interface);
            this.#dirty = true;
            continue;
          }
          this.#readFailed.delete(source.interface);
          if (frames.length === 0) continue;
          this.#frames += frames.length;
          await this.#o.onFrames(frames, source);
        }
      }
    } finally {
      for (const name of [...this.#sources.keys()]) this.#close(name);
    }
  }

  #apply(): void {
    this.#dirty = false;
    for (const name of [...this.#sources.keys()]) {
      if (!this.#wanted.has(name)) {
        this.#close(name);
        this.#o.log.info("capture stopped", { interface: name });
      }
    }
    for (const [name, addresses] of this.#wanted) {
      const filter = synFilter(addresses);
      let entry = this.#sources.get(name);
      try {
        if (!entry) {
          entry = { source: this.#o.open(name), filter: "" };
          this.#sources.set(name, entry);
        }
        if (entry.filter !== filter) {
          entry.source.setFilter(filter);
          entry.filter = filter;
          this.#o.log.info("capturing", { interface: name, deckies: addresses.join(",") });
        }
        this.#failed.delete(name);
      } catch (e) {
        if (!this.#failed.has(name)) {
          this.#o.log.error("cannot capture", { interface: name, error: (e as Error).message });
        }
        this.#failed.add(name);
        // Retried at the next plan (the collector rewrites the targets, interfaces come up).
        if (entry && entry.filter === "") this.#close(name);
      }
    }
  }

  #close(name: string): void {
    const entry = this.#sources.get(name);
    if (!entry) return;
    const c = this.#counters(entry.source);
    this.#closedTotals.received += c.received;
    this.#closedTotals.dropped += c.dropped;
    this.#closedTotals.ifDropped += c.ifDropped;
    entry.source.close();
    this.#sources.delete(name);
  }

  #counters(source: FrameSource): CaptureCounters {
    try {
      return source.counters();
    } catch {
      // The interface went away under the capture: its counters are gone with it.
      return { received: 0, dropped: 0, ifDropped: 0 };
    }
  }
}
