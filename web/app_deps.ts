import type { Bus } from "../core/bus/mod.ts";
import type { DockerClient } from "../core/docker/mod.ts";
import type { DatabaseStatus, Repositories } from "../core/db/mod.ts";
import type { Logger } from "../core/log/mod.ts";
import type { LoginThrottle } from "./auth/login_throttle.ts";
import type { JwtSigner } from "./auth/jwt.ts";
import type { SseTickets } from "./auth/sse_tickets.ts";
import type { ApiConfig } from "./api_worker.ts";

/** Health of one worker as the API reports it. */
export interface WorkerHealthView {
  name: string;
  healthy: boolean;
  state: string;
  restarts: number;
  uptime_seconds: number | null;
  last_heartbeat: string | null;
  /** Why it last crashed (also while it is restarting), or null. */
  last_error?: string | null;
  extras: Record<string, unknown>;
}

/** Everything the web app needs, built once by the api worker and passed in. */
export interface AppDeps {
  config: ApiConfig;
  repos: Repositories;
  jwt: JwtSigner;
  log: Logger;
  now: () => Date;
  tickets: SseTickets;
  loginThrottle: LoginThrottle;
  /** The Docker daemon (deploys and plants run the same code as the CLI). */
  docker: DockerClient;
  /** Notifications to and from the other workers (best effort). */
  bus: Bus;
  /** Per-worker health, from the workers' heartbeats. */
  workerHealth: () => WorkerHealthView[];
  /** Whether the database answered its last probe; absent: not probed (assumed reachable). */
  databaseHealth?: () => DatabaseStatus;
}
