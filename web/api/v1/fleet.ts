import { z } from "zod";
import { DECKY_STATES } from "../../../core/db/mod.ts";
import {
  type DeckyView,
  deckyView,
  deployAndSeed,
  fleetContextFor,
  type FleetSpec,
  killSession,
  parseFleetSpec,
  revertDecky,
  swarmHostsOf,
  teardownFleet,
  validateDeckyName,
  validateInterfaceName,
} from "../../../core/fleet/mod.ts";
import { quoteValue } from "../../../core/log/mod.ts";
import { baselinePersonas } from "../../../core/orchestrator/baseline_personas.ts";
import { PersonaPool } from "../../../realism/mod.ts";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";
import { requestAudit } from "../../request_audit.ts";
import { zodRule } from "../../zod_rule.ts";

/** Largest fleet file the API accepts (the INI text). */
const MAX_FLEET_FILE = 256 * 1024;

const ListQuery = z.object({
  state: z.enum(DECKY_STATES).optional(),
  source: z.enum(["fleet", "shard"]).optional(),
  /** Only the deckies of this host (a swarm host's name, or a host uuid). */
  host: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
}).strict();

const DeployBody = z.object({
  config: z.string().min(1).max(MAX_FLEET_FILE),
  dry_run: z.boolean().default(false),
  interface: zodRule(validateInterfaceName, 15).optional(),
}).strict();

// The fleet file's rule: a name that cannot be a decky never reaches the database or Docker.
const DeckyParams = z.object({ name: zodRule(validateDeckyName, 63) });
const SessionParams = z.object({
  name: zodRule(validateDeckyName, 63),
  session: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "letters, digits and - (1-64)"),
});

/** A decky as the fleet routes answer it (what the fleet island receives). */
export type { DeckyView };

/**
 * `/api/v1/fleet`: deckies of every source (viewer), deploy from a fleet
 * file and tear down (admin), running the same code as `decnet deploy` and
 * `decnet teardown`.
 */
export function fleetRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/fleet", guard);
  const context = fleetContextFor(deps.config, {
    docker: deps.docker,
    fleet: deps.repos.fleet,
    bus: deps.bus,
    log: deps.log.child("fleet"),
    now: deps.now,
  });

  router.route({
    method: "get",
    path: "/deckies",
    summary: "Deckies of every source, filtered by state, source and host",
    access: "viewer",
    query: ListQuery,
  }, async (c, { query }) => {
    const all = (await deps.repos.fleet.listDeckies({ state: query.state, source: query.source }))
      .filter((d) => query.host === undefined || d.hostUuid === query.host);
    const items = all.slice(query.offset, query.offset + query.limit).map(deckyView);
    return c.json({ items, total: all.length });
  });

  router.route({
    method: "get",
    path: "/deckies/:name",
    summary: "One decky (this host's fleet decky first, else any source)",
    access: "viewer",
    params: DeckyParams,
    responses: { 200: "The decky", 400: "Not a decky name", 404: "No such decky" },
  }, async (c, { params: { name } }) => {
    const decky = await deps.repos.fleet.findDecky(name, { hostUuid: deps.config.hostUuid });
    if (!decky) throw noSuchDecky(name);
    return c.json(deckyView(decky));
  });

  router.route({
    method: "post",
    path: "/deploy",
    summary: "Deploy the deckies of a fleet file (INI text in `config`; `dry_run` plans only)",
    access: "admin",
    body: DeployBody,
    responses: {
      200: "Per-decky results",
      400: "Bad fleet file (message names line and key)",
      503: "Docker unreachable",
    },
  }, async (c, { body }) => {
    let spec: FleetSpec;
    try {
      spec = parseFleetSpec(body.config, body.interface ? { interface: body.interface } : {});
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      throw new HttpError(400, "invalid_fleet_file", e.message, { field: "body.config" });
    }
    const agents = swarmHostsOf(spec);
    if (agents.length > 0) {
      // TODO(#22): the API worker holds no swarm connection yet; the CLI sends agents theirs.
      throw new HttpError(
        400,
        "invalid_fleet_file",
        `Cannot deploy on swarm hosts through the API: use decnet deploy, got host ${
          agents.join(", ")
        }`,
        { field: "body.config" },
      );
    }
    deps.log.info("deploy requested", {
      by: c.get("user").username,
      deckies: spec.deckies.length,
      dry_run: body.dry_run,
    });
    const personas = baselinePersonas(
      new PersonaPool({ configuredPath: deps.config.realismPersonas }),
    );
    const result = await deployAndSeed(spec, context, {
      dryRun: body.dry_run,
      canary: { repos: deps.repos, config: deps.config, personas },
      audit: requestAudit(deps, c),
    });
    if (result.error && result.results.length === 0) {
      throw new HttpError(503, "docker_unavailable", `Cannot deploy: ${result.error}`);
    }
    return c.json({
      network: result.network,
      items: result.results,
      total: result.results.length,
      dry_run: body.dry_run,
      ...(result.error ? { error: result.error } : {}),
    });
  });

  router.route({
    method: "post",
    path: "/deckies/:name/revert",
    summary:
      "Revert a decky: recreate its containers from their images as last deployed, replant its baseline canaries",
    access: "admin",
    params: DeckyParams,
    responses: {
      200: "Reverted",
      400: "Not a decky name",
      404: "No such decky",
      502: "Revert failed",
    },
  }, async (c, { params: { name } }) => {
    const personas = baselinePersonas(
      new PersonaPool({ configuredPath: deps.config.realismPersonas }),
    );
    const result = await revertDecky(name, context, {
      canary: { repos: deps.repos, config: deps.config, personas },
      audit: requestAudit(deps, c),
    });
    if (result.status === "absent") throw noSuchDecky(name);
    if (result.status === "failed") {
      throw new HttpError(502, "revert_failed", `Cannot revert ${name}: ${result.error}`);
    }
    deps.log.info("decky reverted", { by: c.get("user").username, decky: name });
    return c.json(result);
  });

  router.route({
    method: "post",
    path: "/deckies/:name/sessions/:session/kill",
    summary:
      "End a live session on the decky's sensor (the session id of its events); its disconnect event says killed",
    access: "admin",
    params: SessionParams,
    responses: {
      202: "Requested: the sensor ends the session within about a second if it is live",
      400: "Not a decky name or session id",
      404: "No running sensor on that decky",
      502: "Docker refused",
    },
  }, async (c, { params: { name, session } }) => {
    const result = await killSession(name, session, context);
    if (result.status === "absent") {
      throw new HttpError(404, "not_found", `Cannot kill session: no running sensor on ${name}`);
    }
    if (result.status === "failed") {
      throw new HttpError(502, "kill_failed", `Cannot kill session on ${name}: ${result.error}`);
    }
    deps.log.info("session kill requested", { by: c.get("user").username, decky: name, session });
    return c.json(result, 202);
  });

  router.route({
    method: "delete",
    path: "/deckies/:name",
    summary: "Tear a decky down (containers, state-file entry, row)",
    access: "admin",
    params: DeckyParams,
    responses: {
      204: "Removed",
      400: "Not a decky name",
      404: "No such decky",
      503: "Docker unreachable",
    },
  }, async (c, { params: { name } }) => {
    const result = await teardownFleet(context, { names: [name], audit: requestAudit(deps, c) });
    const item = result.results[0];
    if (!item) throw new HttpError(503, "docker_unavailable", `Cannot tear down: ${result.error}`);
    if (item.status === "absent") throw noSuchDecky(name);
    if (item.status === "failed") {
      throw new HttpError(502, "teardown_failed", `Cannot tear down ${name}: ${item.error}`);
    }
    deps.log.info("decky torn down", { by: c.get("user").username, decky: name });
    return c.body(null, 204);
  });
  return router;
}

function noSuchDecky(name: string): HttpError {
  return new HttpError(404, "not_found", `No such decky: ${quoteValue(name)}`, {
    field: "path.name",
  });
}
