import type { ConnReader } from "./conn_reader.ts";
import type { SensorEventKind, SensorServiceName } from "./sensor_event.ts";
import type { SensorServiceOptions } from "./sensor_options.ts";

/** An address and port of one end of a connection. */
export interface SensorEndpoint {
  ip: string;
  port: number;
}

/**
 * One client connection as a service sees it. The sensor has already emitted
 * `connect`; it emits `disconnect` after {@linkcode SensorService.serve} returns.
 */
export interface SensorSession {
  /** Unique per connection; stamped on every event. */
  readonly id: string;
  /** The decky's name (a default host name where the fleet file gives none). */
  readonly decky: string;
  readonly remote: SensorEndpoint;
  readonly local: SensorEndpoint;
  /** The connection; every read resets the idle timer. */
  readonly conn: Deno.Conn;
  /** Buffered line/byte reads over {@linkcode conn}. */
  readonly reader: ConnReader;
  readonly options: SensorServiceOptions;
  /** Aborted on idle timeout or sensor shutdown; the connection is then closed. */
  readonly signal: AbortSignal;
  readonly now: () => Date;
  /** SHA-256 (hex) of SSH public keys the fleet itself uses (the orchestrator's). */
  readonly trustedKeys: ReadonlySet<string>;
  /**
   * Marks this session as the fleet's own: its events from now on carry
   * `benign: true`, so the collector stores them but never makes an attacker of them.
   */
  markBenign(): void;
  /** Records one event of this session (envelope fields are filled in). */
  emit(kind: SensorEventKind, fields?: Record<string, unknown>): void;
  /** Writes all of `data` (strings as latin1, so any byte can be sent). */
  write(data: string | Uint8Array): Promise<void>;
}

/**
 * A decoy protocol: answers one connection the way the real server would.
 * Errors thrown by `serve` end that connection only.
 *
 * @example
 * ```ts
 * const echo: SensorService = {
 *   name: "telnet",
 *   defaultPort: 23,
 *   async serve(session) {
 *     const line = await session.reader.readLine(1024);
 *     if (line !== null) session.emit("command", { command: line });
 *   },
 * };
 * ```
 */
export interface SensorService {
  readonly name: SensorServiceName;
  readonly defaultPort: number;
  /** Silence after which the connection is dropped, as the real server does. @default 300_000 */
  readonly idleTimeoutMs?: number;
  /**
   * Net permissions it needs beyond listening on its port (`host` or
   * `host:port`, as Deno writes them), e.g. a loopback helper. @default []
   */
  readonly net?: readonly string[];
  serve(session: SensorSession): Promise<void>;
}
