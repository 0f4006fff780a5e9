import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";
import { parsePersonas } from "../../../realism/mod.ts";
import { PersonaList, requireSomePersonas } from "./realism.ts";
import { quoteValue } from "../../../core/log/mod.ts";

/** `/api/v1/topologies`: topologies and the persona pool their deckies draw from. */
export function topologiesRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/topologies", guard);
  const topologies = deps.repos.topologies;

  router.route({
    method: "get",
    path: "/",
    summary: "Topologies",
    access: "viewer",
  }, async (c) => {
    const items = (await topologies.list()).map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      personas: t.emailPersonas.length,
      created_at: t.createdAt,
      updated_at: t.updatedAt,
    }));
    return c.json({ items, total: items.length });
  });

  router.route({
    method: "get",
    path: "/:id/personas",
    summary: "The personas of a topology (its deckies draw from them)",
    access: "viewer",
    responses: { 200: "Personas", 404: "No such topology" },
  }, async (c) => {
    const id = c.req.param("id") ?? "";
    const topology = await topologies.get(id);
    if (!topology) throw noSuchTopology(id);
    const { personas, dropped } = parsePersonas(topology.emailPersonas);
    return c.json({ topology_id: id, items: personas, total: personas.length, dropped });
  });

  router.route({
    method: "put",
    path: "/:id/personas",
    summary: "Replace a topology's personas; invalid entries are dropped with reasons",
    access: "admin",
    body: PersonaList,
    responses: { 200: "Stored", 400: "No valid persona", 404: "No such topology" },
  }, async (c, { body }) => {
    const id = c.req.param("id") ?? "";
    if (!(await topologies.get(id))) throw noSuchTopology(id);
    const { personas, dropped } = parsePersonas(body);
    requireSomePersonas(dropped, personas.length);
    await topologies.setEmailPersonas(id, personas);
    deps.log.info("topology personas replaced", { topology: id, written: personas.length });
    return c.json({ topology_id: id, written: personas.length, items: personas, dropped });
  });
  return router;
}

function noSuchTopology(id: string): HttpError {
  return new HttpError(404, "not_found", `No such topology: ${quoteValue(id)}`, {
    field: "path.id",
  });
}
