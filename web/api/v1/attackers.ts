import { z } from "zod";
import {
  attackerView,
  credentialView,
  serviceEventView,
} from "../../../core/attackers/attacker_views.ts";
import { loadAttacker } from "../../../core/attackers/load_attacker.ts";
// The envelope alone: the sensor folder's mod.ts carries every protocol and its libraries.
import { SENSOR_EVENT_KINDS, SENSOR_SERVICES } from "../../../core/sensor/sensor_event.ts";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";

const Page = {
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
const Time = z.iso.datetime({ offset: true });
const Decky = z.string().min(1).max(64);

const AttackerQuery = z.object({
  ...Page,
  decky: Decky.optional(),
  /** Touched a decky of this host: a swarm agent's name, or this host's uuid. */
  host: z.string().min(1).max(128).optional(),
  service: z.enum(SENSOR_SERVICES).optional(),
  since: Time.optional(),
  until: Time.optional(),
  q: z.string().min(1).max(200).optional(),
  sort: z.enum(["last_seen", "event_count"]).default("last_seen"),
});

const LogQuery = z.object({
  ...Page,
  decky: Decky.optional(),
  service: z.enum(SENSOR_SERVICES).optional(),
  kind: z.enum(SENSOR_EVENT_KINDS).optional(),
  src_ip: z.string().min(1).max(64).optional(),
  since: Time.optional(),
  until: Time.optional(),
  q: z.string().min(1).max(200).optional(),
  benign: z.enum(["true", "false"]).default("false"),
});

const CredentialQuery = z.object({
  ...Page,
  service: z.enum(SENSOR_SERVICES).optional(),
  src_ip: z.string().min(1).max(64).optional(),
});

const IdParams = z.object({ id: z.coerce.number().int().min(1) });

/**
 * `/api/v1/attackers`, `/api/v1/credentials` and `/api/v1/logs`: who attacked
 * the deckies, what they tried and every event the sensors recorded. Viewers
 * read all of it but the credentials' secrets.
 */
export function attackersRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1", guard);
  const { attackers } = deps.repos;

  router.route({
    method: "get",
    path: "/attackers",
    summary:
      "Attackers (one per source address), by last seen or event count; filters decky, host, service, since, until, q",
    access: "viewer",
    query: AttackerQuery,
  }, async (c, { query }) => {
    // This host's own sensors record no host: its uuid asks for those.
    const host = query.host === deps.config.hostUuid ? null : query.host;
    const { items, total } = await attackers.listAttackers({ ...query, host });
    return c.json({ items: items.map(attackerView), total });
  });

  router.route({
    method: "get",
    path: "/attackers/:id",
    summary:
      "One attacker: its record, the deckies and services it touched, its latest events, credentials and canary hits",
    access: "viewer",
    params: IdParams,
    responses: { 200: "The attacker", 400: "Not an id", 404: "No such attacker" },
  }, async (c, { params }) => {
    const detail = await loadAttacker(deps.repos, params.id, c.get("user").role);
    if (!detail) {
      throw new HttpError(404, "not_found", `No such attacker: ${params.id}`, { field: "path.id" });
    }
    return c.json(detail);
  });

  router.route({
    method: "get",
    path: "/credentials",
    summary:
      "Credentials tried, most recent first (secret and hashcat_line for admins only); filters service, src_ip",
    access: "viewer",
    query: CredentialQuery,
  }, async (c, { query }) => {
    const { items, total } = await attackers.listCredentials({ ...query, srcIp: query.src_ip });
    const role = c.get("user").role;
    return c.json({ items: items.map((r) => credentialView(r, role)), total });
  });

  router.route({
    method: "get",
    path: "/logs",
    summary:
      "Sensor events, newest first; filters decky, service, kind, src_ip, since, until, q (command or request text), benign",
    access: "viewer",
    query: LogQuery,
  }, async (c, { query }) => {
    const { items, total } = await attackers.listServiceEvents({
      ...query,
      srcIp: query.src_ip,
      includeBenign: query.benign === "true",
    });
    return c.json({ items: items.map(serviceEventView), total });
  });
  return router;
}
