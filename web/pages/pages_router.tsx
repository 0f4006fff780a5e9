import { Hono } from "hono";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { VNode } from "preact";
import type { PageComponents } from "./page_components.ts";
import type { AppDeps } from "../app_deps.ts";
import type { AppEnv } from "../app_env.ts";
import { EMBEDDED_ASSETS } from "../assets/embedded_assets.ts";
import { passwordLogin } from "../auth/password_login.ts";
import {
  clearSessionCookie,
  readSessionCookie,
  writeSessionCookie,
} from "../auth/session_cookie.ts";
import { grantAccess } from "../auth/grant_access.ts";
import { verifyAccessToken } from "../auth/verify_access_token.ts";
import { sessionsChanged } from "../auth/sessions_changed.ts";
import { HttpError } from "../http_error.ts";
import { loadOverview } from "./overview_data.ts";
import { workerViews } from "../api/v1/worker_views.ts";
import { loadOrchestratorActivity } from "./orchestrator_data.ts";
import { alertChannelView } from "../../core/alerts/alert_channel_view.ts";
import { ALERT_SEVERITIES } from "../../core/alerts/alert.ts";
import { RULE_EVENT_KINDS } from "../../core/alerts/alert_rule.ts";
import { swarmHostView } from "../../core/swarm/swarm_host_view.ts";
import { AuditQuery, queryAudit } from "../api/v1/audit.ts";
import { parseInput } from "../api_router.ts";
import { loadAttacker } from "../../core/attackers/load_attacker.ts";
import { campaignView, identityView } from "../../core/campaigns/campaign_views.ts";
import { loadCampaign } from "../../core/campaigns/load_campaign.ts";
import { CAMPAIGN_ID_REGEXP } from "../../core/campaigns/new_campaign_id.ts";
import { mergeCampaignsByHand } from "../../core/campaigns/merge_campaigns_by_hand.ts";
import { manualChange, MAX_NOTES } from "../api/v1/campaigns.ts";
import { loadIdentity } from "../../core/campaigns/load_identity.ts";
import {
  attackerView,
  credentialView,
  serviceEventView,
} from "../../core/attackers/attacker_views.ts";

const MAX_FORM_BODY = 16 * 1024;
const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * The dashboard: embedded assets at hashed URLs, the login form (same
 * sign-in path and rate limiter as the API) that sets the HttpOnly session
 * cookie, logout, and the server-rendered pages (signed-in users only; the
 * others are sent to `/login`).
 *
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppEnv } from "../app_env.ts";
 * import type { AppDeps } from "../app_deps.ts";
 * declare const app: Hono<AppEnv>;
 * declare const deps: AppDeps;
 * app.route("/", pagesRouter(deps));
 * ```
 */
export function pagesRouter(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  for (const asset of Object.values(EMBEDDED_ASSETS)) {
    app.get(asset.path, (c) => {
      c.header("Content-Type", asset.contentType);
      c.header("Cache-Control", IMMUTABLE);
      return c.body(asset.body);
    });
  }

  const formLimit = bodyLimit({
    maxSize: MAX_FORM_BODY,
    onError: () => {
      throw new HttpError(413, "payload_too_large", `Form exceeds ${MAX_FORM_BODY} bytes`);
    },
  });

  app.get("/login", async (c) => {
    const token = readSessionCookie(c);
    if (token && (await grantAccess(deps, token, { isKey: false })).ok) {
      return c.redirect("/", 303);
    }
    return html(c, (p) => <p.LoginPage next={safeNext(c.req.query("next"))} />);
  });

  app.post("/login", formLimit, async (c) => {
    requireSameOrigin(c);
    const form = await c.req.parseBody();
    const username = typeof form.username === "string" ? form.username.trim() : "";
    const password = typeof form.password === "string" ? form.password : "";
    const next = safeNext(typeof form.next === "string" ? form.next : undefined);
    if (!username || !password || username.length > 64 || password.length > 1024) {
      return html(
        c,
        (p) => (
          <p.LoginPage error="Enter a username and a password" username={username} next={next} />
        ),
        400,
      );
    }
    try {
      const { token, ttlSeconds } = await passwordLogin(deps, {
        ip: c.get("client").ip,
        username,
        password,
      });
      writeSessionCookie(c, token, ttlSeconds);
      return c.redirect(next ?? "/", 303);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      for (const [k, v] of Object.entries(e.headers)) c.header(k, v);
      return html(
        c,
        (p) => <p.LoginPage error={e.message} username={username} next={next} />,
        e.status as 401,
      );
    }
  });

  app.post("/logout", formLimit, async (c) => {
    requireSameOrigin(c);
    const token = readSessionCookie(c);
    if (token) {
      const check = await verifyAccessToken(deps, token);
      if (check.ok) {
        await deps.repos.users.revokeToken(check.claims.jti, new Date(check.claims.exp * 1000));
        sessionsChanged(deps);
        deps.log.info("logout", { username: check.user.username });
      }
    }
    clearSessionCookie(c);
    return c.redirect("/login", 303);
  });

  const session = requireSession(deps);

  app.get("/", session, async (c) => {
    const data = await loadOverview(deps);
    return html(c, (p) => <p.OverviewPage user={c.get("user")} data={data} />);
  });

  app.get("/workers", session, (c) => {
    return html(c, (p) => <p.WorkersPage user={c.get("user")} workers={workerViews(deps)} />);
  });

  app.get("/orchestrator", session, async (c) => {
    const data = await loadOrchestratorActivity(deps);
    return html(c, (p) => <p.OrchestratorPage user={c.get("user")} data={data} />);
  });

  app.get("/alerts", session, async (c) => {
    const user = c.get("user");
    const { alerts } = deps.repos;
    const { items } = await alerts.listDeliveries({ limit: 20, offset: 0 });
    const channels = (await alerts.listChannels()).map((ch) => alertChannelView(ch, user.role));
    const rules = await alerts.listRules();
    return html(
      c,
      (p) => (
        <p.AlertsPage
          user={user}
          channels={channels}
          rules={rules}
          deliveries={items.map(({ payload: _payload, ...d }) => d)}
          events={[...RULE_EVENT_KINDS]}
          severities={[...ALERT_SEVERITIES]}
        />
      ),
    );
  });

  app.get("/personas", session, (c) => html(c, (p) => <p.PersonasPage user={c.get("user")} />));

  app.get("/canary", session, async (c) => {
    const user = c.get("user");
    const { items: tokens, total } = await deps.repos.canary.listTokens({ limit: 200, offset: 0 });
    const { items: blobs } = await deps.repos.canary.listBlobs({ limit: 200, offset: 0 });
    let create = null;
    if (user.role === "admin") {
      // Loaded on demand: the generators pull in the document libraries.
      const { GENERATOR_TABLE } = await import("../../canary/mod.ts");
      create = {
        generators: [...GENERATOR_TABLE.values()].map((g) => ({
          name: g.name,
          kind: g.kind,
          description: g.description,
        })),
        blobs: blobs.map((b) => ({ uuid: b.uuid, filename: b.filename })),
        deckies: (await deps.repos.fleet.listDeckies()).map((d) => d.name),
      };
    }
    return html(
      c,
      (p) => (
        <p.CanaryPage user={user} tokens={tokens} total={total} blobs={blobs} create={create} />
      ),
    );
  });

  app.get("/canary/:uuid", session, async (c) => {
    const token = await deps.repos.canary.getToken(c.req.param("uuid"));
    if (!token) throw new HttpError(404, "not_found", `No such token: ${c.req.param("uuid")}`);
    const triggers = await deps.repos.canary.listTriggers(token.uuid, { limit: 200, offset: 0 });
    return html(
      c,
      (p) => (
        <p.TokenPage
          user={c.get("user")}
          token={token}
          triggers={triggers.items}
          triggerTotal={triggers.total}
        />
      ),
    );
  });

  app.get("/attackers", session, async (c) => {
    const q = (c.req.query("q") ?? "").slice(0, 200);
    const host = c.req.query("host") || undefined;
    if (host !== undefined && host.length > 128) {
      throw new HttpError(
        400,
        "invalid_request",
        "Invalid query.host: expected at most 128 characters",
        {
          field: "query.host",
        },
      );
    }
    const { items, total } = await deps.repos.attackers.listAttackers({
      q: q || undefined,
      // This host's own sensors record no host: its uuid asks for those.
      host: host === deps.config.hostUuid ? null : host,
      limit: 200,
      offset: 0,
    });
    const hosts = [
      deps.config.hostUuid,
      ...(await deps.repos.swarmHosts.list()).map((row) => row.name),
    ];
    return html(
      c,
      (p) => (
        <p.AttackersPage
          user={c.get("user")}
          attackers={items.map(attackerView)}
          total={total}
          q={q}
          host={host}
          hosts={hosts}
        />
      ),
    );
  });

  app.get("/attackers/:id", session, async (c) => {
    const id = Number(c.req.param("id"));
    const attacker = Number.isSafeInteger(id) && id > 0
      ? await loadAttacker(deps.repos, id, c.get("user").role)
      : undefined;
    if (!attacker) throw new HttpError(404, "not_found", `No such attacker: ${c.req.param("id")}`);
    const identityId = await deps.repos.campaigns.identityOfAttacker(attacker.id);
    const identity = identityId === undefined
      ? undefined
      : await deps.repos.campaigns.getIdentity(identityId);
    return html(
      c,
      (p) => (
        <p.AttackerPage
          user={c.get("user")}
          attacker={attacker}
          identity={identity && { id: identity.id, key: identity.key }}
        />
      ),
    );
  });

  app.get("/identities", session, async (c) => {
    const { items, total } = await deps.repos.campaigns.listIdentities({ limit: 500, offset: 0 });
    return html(
      c,
      (p) => (
        <p.IdentitiesPage user={c.get("user")} identities={items.map(identityView)} total={total} />
      ),
    );
  });

  app.get("/identities/:id", session, async (c) => {
    const id = Number(c.req.param("id"));
    const identity = Number.isSafeInteger(id) && id > 0
      ? await loadIdentity(deps.repos, id)
      : undefined;
    if (!identity) throw new HttpError(404, "not_found", `No such identity: ${c.req.param("id")}`);
    return html(c, (p) => <p.IdentityPage user={c.get("user")} identity={identity} />);
  });

  app.get("/campaigns", session, async (c) => {
    const merged = c.req.query("merged") === "1";
    const singles = c.req.query("singles") === "1";
    const { items, total } = await deps.repos.campaigns.listCampaigns({
      includeMerged: merged,
      // A lone scanner is a campaign of one: listed only when asked for.
      minIdentities: singles ? undefined : 2,
      limit: 500,
      offset: 0,
    });
    return html(
      c,
      (p) => (
        <p.CampaignsPage
          user={c.get("user")}
          campaigns={items.map(campaignView)}
          total={total}
          merged={merged}
          singles={singles}
        />
      ),
    );
  });

  app.get("/campaigns/:id", session, async (c) => {
    const id = c.req.param("id");
    const campaign = CAMPAIGN_ID_REGEXP.test(id) ? await loadCampaign(deps.repos, id) : undefined;
    if (!campaign) throw new HttpError(404, "not_found", `No such campaign: ${id}`);
    return html(c, (p) => <p.CampaignPage user={c.get("user")} campaign={campaign} />);
  });

  // The campaign page's admin forms: plain form posts, same checks and records as the API.
  app.post("/campaigns/:id/notes", session, formLimit, async (c) => {
    const id = requireCampaignForm(c);
    const form = await c.req.parseBody();
    const notes = typeof form.notes === "string" ? form.notes : "";
    if (notes.length > MAX_NOTES) {
      throw new HttpError(
        400,
        "invalid_request",
        `Invalid form.notes: expected at most ${MAX_NOTES} characters, got ${notes.length}`,
        { field: "form.notes" },
      );
    }
    if (!(await deps.repos.campaigns.setCampaignNotes(id, notes, c.get("user").username))) {
      throw new HttpError(404, "not_found", `No such campaign: ${id}`);
    }
    return c.redirect(`/campaigns/${id}`, 303);
  });

  app.post("/campaigns/:id/merge", session, formLimit, async (c) => {
    const id = requireCampaignForm(c);
    const form = await c.req.parseBody();
    const into = typeof form.into === "string" ? form.into.trim() : "";
    if (!CAMPAIGN_ID_REGEXP.test(into)) {
      throw new HttpError(400, "invalid_request", `Invalid form.into: expected a campaign id`, {
        field: "form.into",
      });
    }
    await manualChange(() =>
      mergeCampaignsByHand(
        { campaigns: deps.repos.campaigns, bus: deps.bus, now: deps.now },
        id,
        { into, actor: c.get("user").username },
      )
    );
    return c.redirect(`/campaigns/${id}`, 303);
  });

  app.get("/credentials", session, async (c) => {
    const { items, total } = await deps.repos.attackers.listCredentials({ limit: 500, offset: 0 });
    const role = c.get("user").role;
    return html(
      c,
      (p) => (
        <p.CredentialsPage
          user={c.get("user")}
          credentials={items.map((r) => credentialView(r, role))}
          total={total}
        />
      ),
    );
  });

  app.get("/logs", session, async (c) => {
    const q = (c.req.query("q") ?? "").slice(0, 200);
    const { items, total } = await deps.repos.attackers.listServiceEvents({
      q: q || undefined,
      limit: 300,
      offset: 0,
    });
    return html(
      c,
      (p) => (
        <p.LogsPage user={c.get("user")} events={items.map(serviceEventView)} total={total} q={q} />
      ),
    );
  });

  app.get("/realism", session, (c) => html(c, (p) => <p.RealismPage user={c.get("user")} />));

  app.get("/audit", session, async (c) => {
    const user = c.get("user");
    if (user.role !== "admin") {
      throw new HttpError(403, "forbidden", "The audit log is for admins");
    }
    // The form sends empty fields for "any"; the API's rules check the rest.
    const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ""));
    const query = parseInput(AuditQuery, raw, "query");
    const { items, total } = await queryAudit(deps.repos.audit, query);
    return html(
      c,
      (p) => <p.AuditPage user={user} entries={items} total={total} filters={query} />,
    );
  });

  app.get("/swarm", session, async (c) => {
    const user = c.get("user");
    if (user.role !== "admin") {
      throw new HttpError(403, "forbidden", "The swarm hosts are for admins");
    }
    const now = deps.now();
    const hosts = (await deps.repos.swarmHosts.list()).map((row) => swarmHostView(row, now));
    const deckies: Record<string, number> = {};
    for (const d of await deps.repos.fleet.listDeckies()) {
      deckies[d.hostUuid] = (deckies[d.hostUuid] ?? 0) + 1;
    }
    return html(c, (p) => <p.SwarmPage user={user} hosts={hosts} deckies={deckies} now={now} />);
  });

  app.get("/fleet", session, async (c) => {
    const deckies = await deps.repos.fleet.listDeckies();
    const hosts = [...new Set(deckies.map((d) => d.hostUuid))].sort();
    const host = c.req.query("host") || undefined;
    if (host !== undefined && host.length > 128) {
      throw new HttpError(
        400,
        "invalid_request",
        "Invalid query.host: expected at most 128 characters",
        {
          field: "query.host",
        },
      );
    }
    return html(
      c,
      (p) => <p.FleetPage user={c.get("user")} deckies={deckies} host={host} hosts={hosts} />,
    );
  });

  app.get("/fleet/:name", session, async (c) => {
    // Like GET /api/v1/fleet/deckies/:name: this host's fleet decky first, else any source.
    const name = c.req.param("name");
    const decky = await deps.repos.fleet.findDecky(name, { hostUuid: deps.config.hostUuid });
    if (!decky) throw new HttpError(404, "not_found", `No such decky: ${name}`);
    const files = await deps.repos.syntheticFiles.listForDecky(decky.uuid, {
      limit: 200,
      offset: 0,
    });
    const tokens = await deps.repos.canary.listTokens({
      deckyName: decky.name,
      limit: 200,
      offset: 0,
    });
    return html(
      c,
      (p) => (
        <p.DeckyPage
          user={c.get("user")}
          decky={decky}
          files={files.items}
          filesTotal={files.total}
          tokens={tokens.items}
        />
      ),
    );
  });

  return app;
}

/** A campaign form post: same origin, an admin, a well-formed id; returns the id. */
function requireCampaignForm(c: Context<AppEnv>): string {
  requireSameOrigin(c);
  if (c.get("user").role !== "admin") {
    throw new HttpError(403, "forbidden", "Only admins change campaigns");
  }
  const id = c.req.param("id") ?? "";
  if (!CAMPAIGN_ID_REGEXP.test(id)) {
    throw new HttpError(404, "not_found", `No such campaign: ${id}`);
  }
  return id;
}

/** Middleware: the session cookie's user, or a redirect to the login page. */
function requireSession(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = readSessionCookie(c);
    // The API's access cache: a busy dashboard costs no database read per page within its TTL,
    // and whatever clears it (logout, user removed, password changed) refuses the page at once.
    const access = token ? await grantAccess(deps, token, { isKey: false }) : null;
    if (!access?.ok) {
      if (token) clearSessionCookie(c);
      const url = new URL(c.req.url);
      const target = url.pathname === "/"
        ? "/login"
        : `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
      return c.redirect(target, 303);
    }
    c.set("user", access.granted.user);
    c.set("claims", access.granted.claims!);
    await next();
  };
}

/**
 * Renders a page with the page components, loaded at the first page (the api
 * Worker holds none of the dashboard's views until someone opens it).
 */
async function html(
  c: Context<AppEnv>,
  page: (p: PageComponents) => VNode,
  status: 200 | 400 | 401 = 200,
): Promise<Response> {
  const p = await import("./page_components.ts");
  c.header("Cache-Control", "no-store");
  return c.html(p.renderPage(page(p)), status);
}

/** A local path to go to after login, or undefined (never another origin). */
function safeNext(next: string | undefined): string | undefined {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) {
    return undefined;
  }
  return next;
}

/**
 * Refuses cross-site form posts (login CSRF, forced logout): Origin, when it
 * names a site, must name this host; an absent or `null` Origin (browsers
 * send `null` under `Referrer-Policy: no-referrer`) needs Sec-Fetch-Site to
 * be absent, same-origin or none.
 */
function requireSameOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== "null") {
    let originHost = "";
    try {
      originHost = new URL(origin).host;
    } catch {
      // unparsable: refused below
    }
    if (originHost === new URL(c.req.url).host) return;
    throw new HttpError(403, "cross_origin", "Cross-origin form posts are refused");
  }
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    throw new HttpError(403, "cross_origin", "Cross-origin form posts are refused");
  }
}
