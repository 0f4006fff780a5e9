import type { Config } from "../config/mod.ts";

/** Supervisor -> worker thread. */
export type ToWorkerMessage =
  | {
    type: "start";
    name: string;
    config: Config;
    restarts: number;
    peers: string[];
    /** In-process bus channel shared with the supervisor (used when no port is given). */
    busChannel: string;
    /** Lossless link to the supervisor's in-process bus (BroadcastChannel drops bursts). */
    busPort?: MessagePort;
  }
  | { type: "stop" };

/** Worker thread -> supervisor. */
export type FromWorkerMessage =
  | { type: "started"; banner: string[] }
  | { type: "failed"; error: string }
  | { type: "stopped" };
