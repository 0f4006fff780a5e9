import { abortableSleep } from "../abortable_sleep.ts";
import type { Bus } from "../bus/mod.ts";
import type { AttackersRepository, SensorLogPosition, StoredSensorBatch } from "../db/mod.ts";
import { SensorCursorMovedError } from "../db/mod.ts";
import type { DockerClient, LogEntry } from "../docker/mod.ts";
import type { Logger } from "../log/mod.ts";
import { errorText } from "../log/mod.ts";
// Single files, not the folder's mod.ts: that carries every protocol and its libraries.
import type { SensorEvent, SensorServiceName } from "../sensor/sensor_event.ts";
import { SERVICE_PORTS } from "../sensor/sensor_event.ts";
import { MAX_SENSOR_LINE, parseSensorEvent } from "../sensor/parse_sensor_event.ts";
import { parseServiceLog } from "./parse_service_log.ts";
import type { ServiceLogFormat } from "../sensor/service_log_formats.ts";
import type { AsnInfo } from "./asn_table.ts";
import { eventFeatures } from "./event_features.ts";
import { publishSensorBatch } from "./publish_sensor_batch.ts";

/**
 * A container whose log the collector reads: a decky's sensor (stdout is
 * events), or an operator's service image whose log format the fleet file
 * names (`log.<service>`).
 */
export interface SensorContainer {
  id: string;
  decky: string;
  /** `sensor` for decnet's own sensor. @default "sensor" */
  format?: "sensor" | ServiceLogFormat;
  /** The service an operator's container runs (formats other than `sensor`). */
  service?: SensorServiceName;
}

/** Options for {@linkcode SensorLogIngest}. */
export interface SensorLogIngestOptions {
  docker: DockerClient;
  /** The database's, or a swarm agent's (which sends each batch to the master). */
  repository: Pick<AttackersRepository, "logCursor" | "storeSensorBatch">;
  bus: Bus;
  log: Logger;
  /** The sensor containers that exist now (polled). */
  listContainers: () => Promise<SensorContainer[]>;
  /** Which sources are benign now: the fleet's own, the operator's list. */
  benignSources: () => Promise<(ip: string) => boolean>;
  /** The network (AS) of an address, from the operator's offline table. */
  asnOf?: (ip: string) => AsnInfo | undefined;
  /** Lines per transaction. @default 500 */
  batch?: number;
  /** A partial batch is stored after this long. @default 200 */
  flushMs?: number;
  /** Pause between looks for new sensor containers. @default 2000 */
  pollMs?: number;
}

/** What the ingest has done (heartbeat extras). */
export interface SensorLogIngestStats {
  /** Events stored since start. */
  events: number;
  /** Lines that were not valid events, since start. */
  bad_lines: number;
  /** Containers being followed now. */
  following: number;
  last_error: string | null;
}

/**
 * The collector's sensor duty: follows the stdout log of every sensor
 * container through the Docker API from its stored cursor, validates each
 * line (a bad line is counted, never fatal), and stores each batch with the
 * cursor in one transaction, so restarts of the collector or of dockerd
 * lose and repeat nothing. Publishes what changed after each commit.
 *
 * @example
 * ```ts
 * import type { SensorLogIngestOptions } from "./sensor_log_ingest.ts";
 * declare const options: SensorLogIngestOptions;
 * const ingest = new SensorLogIngest(options);
 * ingest.start();
 * await ingest.close();
 * ```
 */
export class SensorLogIngest {
  readonly #options: SensorLogIngestOptions;
  readonly #controller = new AbortController();
  readonly #following = new Map<string, Promise<void>>();
  readonly #stats: SensorLogIngestStats = {
    events: 0,
    bad_lines: 0,
    following: 0,
    last_error: null,
  };
  #loop?: Promise<void>;
  #listFailing = false;

  constructor(options: SensorLogIngestOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#discover();
  }

  stats(): SensorLogIngestStats {
    return { ...this.#stats, following: this.#following.size };
  }

  /**
   * Stores everything a container has logged so far and returns; used before
   * a sensor container is removed (a redeploy) so none of its events is lost.
   */
  async drain(container: SensorContainer): Promise<void> {
    // The follow of a stopped container ends at its last line.
    await this.#follow(container, this.#controller.signal);
  }

  async close(): Promise<void> {
    this.#controller.abort();
    await this.#loop;
    await Promise.allSettled(this.#following.values());
  }

  async #discover(): Promise<void> {
    const signal = this.#controller.signal;
    while (!signal.aborted) {
      try {
        const containers = await this.#options.listContainers();
        if (this.#listFailing) this.#options.log.info("sensor containers can be listed again");
        this.#listFailing = false;
        for (const container of containers) {
          if (this.#following.has(container.id)) continue;
          const task = this.#follow(container, signal)
            .catch((e) => this.#failed(`follow ${container.id.slice(0, 12)}`, e))
            .finally(() => this.#following.delete(container.id));
          this.#following.set(container.id, task);
        }
      } catch (e) {
        // Said once per outage (a host without Docker would otherwise log every poll).
        if (!this.#listFailing) this.#failed("list sensor containers", e);
        else this.#stats.last_error = `list sensor containers: ${errorText(e)}`;
        this.#listFailing = true;
      }
      await abortableSleep(this.#options.pollMs ?? 2000, signal);
    }
  }

  async #follow(container: SensorContainer, signal: AbortSignal): Promise<void> {
    while (true) {
      try {
        return await this.#followFromCursor(container, signal);
      } catch (e) {
        // Another ingest (a drain before a redeploy) stored part of this log first:
        // resume from where it stopped, never storing a line twice.
        if (!(e instanceof SensorCursorMovedError)) throw e;
      }
    }
  }

  async #followFromCursor(container: SensorContainer, signal: AbortSignal): Promise<void> {
    const { repository, docker } = this.#options;
    let from = await repository.logCursor(container.id);
    let skip = from.linesAtTime;
    let to: SensorLogPosition = { ...from };
    let pending: SensorEvent[] = [];
    let positions: SensorLogPosition[] = [];
    let bad = 0;
    let partial = "";
    const batchSize = this.#options.batch ?? 500;
    const flushMs = this.#options.flushMs ?? 200;

    const flush = async () => {
      if (pending.length === 0 && bad === 0 && to.logTime === from.logTime) return;
      const stored = await this.#store(container, from, to, { events: pending, positions }, bad);
      from = { ...to };
      pending = [];
      positions = [];
      bad = 0;
      publishSensorBatch(this.#options.bus, stored);
    };

    const read = lineReader(container);
    const entries = docker.followLogs(container.id, {
      since: from.logTime || undefined,
      stderr: (container.format ?? "sensor") !== "sensor",
      signal,
    })[Symbol.asyncIterator]();
    let next = entries.next();
    try {
      while (true) {
        const timer = pending.length > 0 || bad > 0 ? abortableSleep(flushMs, signal) : undefined;
        const got = timer
          ? await Promise.race([next, timer.then(() => "tick" as const)])
          : await next;
        if (got === "tick") {
          if (partial === "") await flush();
          continue;
        }
        if (got.done) break;
        next = entries.next();
        const entry: LogEntry = got.value;
        if (skip > 0 && entry.time === from.logTime) {
          skip--;
          continue;
        }
        skip = 0;
        to = entry.time === to.logTime
          ? { logTime: to.logTime, linesAtTime: to.linesAtTime + 1 }
          : { logTime: entry.time, linesAtTime: 1 };
        partial += entry.text;
        if (!partial.endsWith("\n")) {
          // Docker splits long lines into parts; past the limit it is bad anyway.
          if (partial.length > MAX_SENSOR_LINE + 1) partial = partial.slice(0, MAX_SENSOR_LINE + 1);
          continue;
        }
        const line = partial.slice(0, -1);
        partial = "";
        const parsed = read(line, entry.time);
        if (!parsed.ok || (parsed.event && parsed.event.decky !== container.decky)) bad++;
        else if (parsed.event) {
          pending.push(withFeatures(parsed.event, this.#options.asnOf));
          positions.push(to);
        }
        if (pending.length + bad >= batchSize) await flush();
      }
      if (partial === "") await flush();
    } finally {
      await entries.return?.();
    }
  }

  async #store(
    container: SensorContainer,
    from: SensorLogPosition,
    to: SensorLogPosition,
    { events, positions }: { events: SensorEvent[]; positions: SensorLogPosition[] },
    badLines: number,
  ): Promise<StoredSensorBatch> {
    const isBenign = await this.#options.benignSources();
    for (let attempt = 0;; attempt++) {
      try {
        const stored = await this.#options.repository.storeSensorBatch({
          container: container.id,
          decky: container.decky,
          from,
          to,
          events,
          positions,
          badLines,
          isBenign,
        });
        this.#stats.events += stored.events.length;
        this.#stats.bad_lines += badLines;
        if (badLines > 0) {
          this.#options.log.warn("sensor lines that are not events skipped", {
            decky: container.decky,
            count: badLines,
          });
        }
        return stored;
      } catch (e) {
        if (e instanceof SensorCursorMovedError) throw e;
        this.#failed("store sensor events", e);
        await abortableSleep(Math.min(100 * 2 ** attempt, 5000), this.#controller.signal);
        if (this.#controller.signal.aborted) throw e;
      }
    }
  }

  #failed(action: string, e: unknown): void {
    this.#stats.last_error = `${action}: ${errorText(e)}`;
    this.#options.log.warn(`cannot ${action}`, { error: errorText(e) });
  }
}

/** How a container's lines become events: its log format, with its decky, service and port. */
function lineReader(container: SensorContainer) {
  const format = container.format ?? "sensor";
  if (format === "sensor") return (line: string, _time: string) => parseSensorEvent(line);
  const service = container.service ?? "ssh";
  return (line: string, time: string) =>
    parseServiceLog(format, line, {
      decky: container.decky,
      service,
      port: SERVICE_PORTS[service],
      // Docker's nanoseconds trimmed to the milliseconds every stored time has.
      time: new Date(time).toISOString(),
    });
}

/**
 * The event with its clustering features beside its own fields (empty ones
 * left out), and its source's AS when the operator's table knows it; fields
 * of those names from the line itself are dropped, since they are the
 * collector's to derive.
 */
function withFeatures(
  line: SensorEvent,
  asnOf: ((ip: string) => AsnInfo | undefined) | undefined,
): SensorEvent {
  const { ukc_phases: _p, tool: _t, c2: _c, asn: _a, ...event } = line;
  const { ukc_phases, tool, c2 } = eventFeatures(event as SensorEvent);
  const asn = asnOf?.(line.src_ip);
  return {
    ...(event as SensorEvent),
    ...(asn ? { asn } : {}),
    ...(ukc_phases.length > 0 ? { ukc_phases } : {}),
    ...(tool ? { tool } : {}),
    ...(c2 ? { c2 } : {}),
  };
}
