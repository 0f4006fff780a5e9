import type { Bus } from "../core/bus/mod.ts";
import type { DockerClient } from "../core/docker/mod.ts";
import type { DatabaseStatus, Repositories } from "../core/db/mod.ts";
import type { Logger } from "../core/log/mod.ts";
import type { WorkerHealth } from "../core/workers/mod.ts";
import type { LoginThrottle } from "./auth/login_throttle.ts";
import type { JwtSigner } from "./auth/jwt.ts";
import type { SseTickets } from "./auth/sse_tickets.ts";
import type { ApiConfig } from "./api_worker.ts";
import type { AccessCache } from "./auth/access_cache.ts";
import type { GrantedAccess } from "./app_env.ts";

/** Everything the web app needs, built once by the api worker and passed in. */
export interface AppDeps {
  config: ApiConfig;
  repos: Repositories;
  jwt: JwtSigner;
  log: Logger;
  now: () => Date;
  tickets: SseTickets;
  loginThrottle: LoginThrottle;
  /** What the auth guard granted recently used credentials (see sessionsChanged). */
  accessCache: AccessCache<GrantedAccess>;
  /** The Docker daemon (deploys and plants run the same code as the CLI). */
  docker: DockerClient;
  /** Notifications to and from the other workers (best effort). */
  bus: Bus;
  /** The database's change stamp (see readChangeStamp): equal stamps, same data. */
  changeStamp: () => Promise<string | null>;
  /** Per-worker health, from the workers' heartbeats. */
  workerHealth: () => WorkerHealth[];
  /** Whether the database answered its last probe; absent: not probed (assumed reachable). */
  databaseHealth?: () => DatabaseStatus;
}
