import type { Config, ConfigIssue } from "../config/mod.ts";
import type { LogLevel } from "../log/mod.ts";

/** Supervisor -> worker thread. */
export type ToWorkerMessage =
  | {
    type: "start";
    name: string;
    /** Only the fields the worker declares (its `configKeys`); see `scopedConfig`. */
    config: Partial<Config>;
    logLevel: LogLevel;
    /** The NATS bus the worker connects to itself; null when `busPort` links it in process. */
    busUrl: string | null;
    restarts: number;
    /** Why it last crashed (shown in its heartbeats until `decnet up` restarts). */
    lastError: string | null;
    peers: string[];
    /** In-process bus channel shared with the supervisor (used when no port is given). */
    busChannel: string;
    /** Lossless link to the supervisor's in-process bus (BroadcastChannel drops bursts). */
    busPort?: MessagePort;
  }
  | { type: "stop" }
  /** The process is quiet: give back what the isolate's heap holds beyond its live data. */
  | { type: "reduce-memory" };

/** Worker thread -> supervisor. */
export type FromWorkerMessage =
  | { type: "started"; banner: string[] }
  | {
    type: "failed";
    error: string;
    /** Set when the start failed on bad configuration (a ConfigError: the CLI exits 2). */
    configIssues?: ConfigIssue[];
  }
  | { type: "stopped" };
