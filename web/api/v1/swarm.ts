import { z } from "zod";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { AttemptLimiter } from "../../auth/attempt_limiter.ts";
import { HttpError } from "../../http_error.ts";
import { zodRule } from "../../zod_rule.ts";
import {
  agentSubjects,
  JoinRefusedError,
  parseJoinToken,
  parseUserPublicKey,
  readSwarmIssuer,
  redeemJoinToken,
  swarmHostView,
} from "../../../core/swarm/mod.ts";

/** Failed joins per client address in {@linkcode JOIN_WINDOW_MS} before it is refused (429). */
const JOIN_MAX_FAILURES = 10;
const JOIN_WINDOW_MS = 15 * 60_000;

const JoinBody = z.object({
  token: zodRule(parseJoinToken, 200),
  public_key: zodRule(parseUserPublicKey, 56),
  version: z.string().regex(/^[\x21-\x7e]{1,64}$/, "expected 1-64 printable characters")
    .optional(),
}).strict();

/**
 * `/api/v1/swarm`: agents join with a one-time token (public, rate-limited
 * per address, HTTPS where the API serves it) and receive their NATS user
 * JWT, the nats-server URL and its CA certificate; admins list the hosts.
 */
export function swarmRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/swarm", guard);
  const limiter = new AttemptLimiter({ max: JOIN_MAX_FAILURES, windowMs: JOIN_WINDOW_MS });

  router.route({
    method: "post",
    path: "/join",
    summary: "Join the swarm with a one-time token: returns the agent's NATS credentials",
    description: "Sent by `decnet agent join`. The agent sends its own nkey user public key; " +
      "the answer holds the user JWT signed for it (its subjects only), the NATS URL and the " +
      "CA certificate of nats-server's TLS. A token works once and before it expires.",
    access: "public",
    body: JoinBody,
    responses: {
      200: "Joined",
      400: "Invalid body (the field is named)",
      401: "Unknown token",
      403: "Host revoked",
      410: "Token used or expired",
      429: "Too many failed joins from this address",
      503: "Swarm not set up on this master",
    },
  }, async (c, { body }) => {
    const key = c.get("client").ip;
    const nowMs = deps.now().getTime();
    const wait = limiter.retryAfterSeconds(key, nowMs);
    if (wait > 0) {
      throw new HttpError(429, "too_many_requests", "Too many failed joins; try again later", {
        headers: { "Retry-After": String(wait) },
      });
    }
    const { swarmNatsUrl, swarmNatsCa, home } = deps.config;
    const issuer = await readSwarmIssuer(home);
    if (!swarmNatsUrl || !swarmNatsCa || !issuer) {
      throw new HttpError(
        503,
        "swarm_not_configured",
        "This master has no swarm: set DECNET_SWARM_NATS_URL and DECNET_SWARM_NATS_CA and run decnet swarm nats-config",
      );
    }
    let caPem: string;
    try {
      caPem = await Deno.readTextFile(swarmNatsCa);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      throw new HttpError(
        503,
        "swarm_not_configured",
        `This master cannot hand out its NATS CA: DECNET_SWARM_NATS_CA ${swarmNatsCa} does not exist`,
      );
    }
    limiter.begin(key);
    let failed = true;
    try {
      const { row, userJwt } = await redeemJoinToken(deps.repos.swarmHosts, issuer, {
        token: body.token,
        publicKey: body.public_key,
        version: body.version ?? null,
      }, deps.now());
      failed = false;
      const subjects = agentSubjects(row.name);
      deps.log.info("swarm host joined", { host: row.name, client: key });
      return c.json({
        name: row.name,
        nats_url: swarmNatsUrl,
        ca_pem: caPem,
        user_jwt: userJwt,
        subjects: {
          publish: subjects.publish,
          heartbeat: subjects.heartbeat,
          commands: subjects.commands,
          inbox_prefix: subjects.inboxPrefix,
        },
      });
    } catch (e) {
      if (!(e instanceof JoinRefusedError)) throw e;
      deps.log.warn("swarm join refused", { client: key, reason: e.message });
      throw new HttpError(e.status, "join_refused", e.message, { field: "body.token" });
    } finally {
      limiter.settle(key, { failed, now: deps.now().getTime() });
    }
  });

  router.route({
    method: "get",
    path: "/hosts",
    summary: "Swarm hosts: pending, expired, enrolled or revoked",
    access: "admin",
  }, async (c) => {
    const now = deps.now();
    const items = (await deps.repos.swarmHosts.list()).map((row) => swarmHostView(row, now));
    return c.json({ items, total: items.length });
  });

  return router;
}
