import { ConnReader } from "./conn_reader.ts";
import { SENSOR_EVENT_VERSION, type SensorEvent } from "./sensor_event.ts";
import type { SensorServiceOptions } from "./sensor_options.ts";
import type { SensorEndpoint, SensorService, SensorSession } from "./sensor_service.ts";

/** Where events go: one call per event, in order (stdout in production). */
export type SensorEventSink = (event: SensorEvent) => void;

/** One service to serve and its fleet-file options. */
export interface SensorServiceEntry {
  service: SensorService;
  options?: SensorServiceOptions;
}

/** Options for {@linkcode serveSensor}. */
export interface ServeSensorOptions {
  /** Name stamped on every event. */
  decky: string;
  services: SensorServiceEntry[];
  sink: SensorEventSink;
  /** Address to listen on. @default "0.0.0.0" */
  hostname?: string;
  /** Open connections across all services. @default 512 */
  maxConnections?: number;
  /** Open connections from one source address. @default 32 */
  maxPerSource?: number;
  now?: () => Date;
  /** Session ids; tests pass a counter. @default crypto.randomUUID */
  newId?: () => string;
  /**
   * SHA-256 (hex) of the fleet's own SSH public keys, as the control folder
   * names them; read live, so keys trusted later count. @default none
   */
  trustedKeys?: ReadonlySet<string>;
  /** Reports a connection that ended in an unexpected error (never to the client). */
  onError?: (service: string, error: unknown) => void;
  signal?: AbortSignal;
}

/** A running sensor. */
export interface SensorServer extends AsyncDisposable {
  /** The port each service listens on, by service name (useful when a port was 0). */
  readonly ports: ReadonlyMap<string, number>;
  /** Resolves when every listener and connection has ended. */
  readonly finished: Promise<void>;
  /**
   * Ends one live session (an operator's kill): its connection closes and
   * its `disconnect` says `reason: "killed"`.
   *
   * @returns whether a session of that id was open
   */
  killSession(id: string): boolean;
  close(): Promise<void>;
}

const DEFAULT_IDLE_MS = 300_000;

/**
 * Listens for every service and hands each connection to its service, within
 * connection limits, idle timeouts and per-connection error isolation: one
 * broken client never stops the sensor serving the others.
 *
 * @example
 * ```ts
 * import { jsonLinesSink } from "./json_lines_sink.ts";
 * import type { SensorService } from "./sensor_service.ts";
 * declare const ftp: SensorService;
 * await using sensor = serveSensor({ decky: "web01", services: [{ service: ftp }], sink: jsonLinesSink() });
 * ```
 */
export function serveSensor(options: ServeSensorOptions): SensorServer {
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener("abort", stop, { once: true });
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => crypto.randomUUID());
  const maxConnections = options.maxConnections ?? 512;
  const maxPerSource = options.maxPerSource ?? 32;
  const perSource = new Map<string, number>();
  let open = 0;
  const ports = new Map<string, number>();
  const tasks: Promise<void>[] = [];
  const live = new Map<string, () => void>();

  for (const { service, options: serviceOptions = {} } of options.services) {
    const listener = Deno.listen({
      hostname: options.hostname ?? "0.0.0.0",
      port: serviceOptions.port ?? service.defaultPort,
    });
    ports.set(service.name, (listener.addr as Deno.NetAddr).port);
    controller.signal.addEventListener("abort", () => listener.close(), { once: true });
    tasks.push(acceptLoop(listener, service, serviceOptions));
  }

  async function acceptLoop(
    listener: Deno.Listener,
    service: SensorService,
    serviceOptions: SensorServiceOptions,
  ): Promise<void> {
    const connections: Promise<void>[] = [];
    try {
      for await (const conn of listener) {
        const ip = (conn.remoteAddr as Deno.NetAddr).hostname;
        const fromSource = perSource.get(ip) ?? 0;
        if (open >= maxConnections || fromSource >= maxPerSource) {
          conn.close();
          continue;
        }
        open++;
        perSource.set(ip, fromSource + 1);
        const done = handle(conn, service, serviceOptions).finally(() => {
          open--;
          const left = (perSource.get(ip) ?? 1) - 1;
          if (left === 0) perSource.delete(ip);
          else perSource.set(ip, left);
        });
        connections.push(done);
        done.then(() => connections.splice(connections.indexOf(done), 1));
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) throw e;
    }
    await Promise.allSettled(connections);
  }

  async function handle(
    raw: Deno.Conn,
    service: SensorService,
    serviceOptions: SensorServiceOptions,
  ): Promise<void> {
    const remote = endpoint(raw.remoteAddr);
    const local = endpoint(raw.localAddr);
    const id = newId();
    const session$ = new AbortController();
    let killed = false;
    live.set(id, () => {
      killed = true;
      session$.abort();
    });
    const idleMs = service.idleTimeoutMs ?? DEFAULT_IDLE_MS;
    let timer = setTimeout(() => session$.abort(), idleMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => session$.abort(), idleMs);
    };
    const onStop = () => session$.abort();
    controller.signal.addEventListener("abort", onStop, { once: true });
    let closed = false;
    const closeConn = () => {
      if (closed) return;
      closed = true;
      try {
        raw.close();
      } catch (e) {
        if (!(e instanceof Deno.errors.BadResource)) throw e;
      }
    };
    session$.signal.addEventListener("abort", closeConn, { once: true });
    const conn = trackedConn(raw, touch);
    let benign = false;
    const emit: SensorSession["emit"] = (kind, fields = {}) =>
      options.sink({
        ...fields,
        ...(benign ? { benign: true } : {}),
        v: SENSOR_EVENT_VERSION,
        time: now().toISOString(),
        decky: options.decky,
        service: service.name,
        kind,
        src_ip: remote.ip,
        src_port: remote.port,
        dst_port: local.port,
        session: id,
      });
    const session: SensorSession = {
      id,
      decky: options.decky,
      remote,
      local,
      conn,
      reader: new ConnReader(conn),
      options: serviceOptions,
      signal: session$.signal,
      now,
      emit,
      trustedKeys: options.trustedKeys ?? new Set(),
      markBenign: () => {
        benign = true;
      },
      write: (data) => writeAll(conn, typeof data === "string" ? latin1Bytes(data) : data),
    };
    const started = now().getTime();
    emit("connect");
    try {
      await service.serve(session);
    } catch (e) {
      if (!session$.signal.aborted && !isPeerGone(e)) options.onError?.(service.name, e);
    } finally {
      clearTimeout(timer);
      controller.signal.removeEventListener("abort", onStop);
      live.delete(id);
      const reason = killed ? "killed" : session$.signal.aborted ? "timeout" : "closed";
      closeConn();
      emit("disconnect", { duration_ms: now().getTime() - started, reason });
    }
  }

  const finished = Promise.all(tasks).then(() => {});
  const close = async () => {
    stop();
    await finished;
  };
  const killSession = (id: string) => {
    const kill = live.get(id);
    kill?.();
    return kill !== undefined;
  };
  return { ports, finished, killSession, close, [Symbol.asyncDispose]: close };
}

function endpoint(addr: Deno.Addr): SensorEndpoint {
  const net = addr as Deno.NetAddr;
  return { ip: net.hostname.replace(/^::ffff:/, ""), port: net.port };
}

/** The connection with its reads reporting activity, so silence can be timed. */
function trackedConn(conn: Deno.Conn, touch: () => void): Deno.Conn {
  return new Proxy(conn, {
    get(target, key) {
      if (key === "read") {
        return async (buffer: Uint8Array) => {
          const n = await target.read(buffer);
          touch();
          return n;
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}

function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function isPeerGone(e: unknown): boolean {
  return e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BrokenPipe ||
    e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted ||
    e instanceof Deno.errors.UnexpectedEof;
}
