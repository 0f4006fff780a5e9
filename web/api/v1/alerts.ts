import type { Context } from "hono";
import { z } from "zod";
import type { Alert } from "../../../core/alerts/alert.ts";
import { CHANNEL_CONFIG_SCHEMA } from "../../../core/alerts/alert_channel.ts";
import { alertChannelView } from "../../../core/alerts/alert_channel_view.ts";
import { ALERT_RULE_SCHEMA } from "../../../core/alerts/alert_rule.ts";
import { ALERTS_CHANGED_TOPIC } from "../../../core/alerts/alerts_changed_topic.ts";
import { maskAlertSecrets } from "../../../core/alerts/channels/mask_alert_secrets.ts";
import { testAlert } from "../../../core/alerts/test_alert.ts";
import type { AlertChannelRecord, AlertDeliveryRecord } from "../../../core/db/mod.ts";
import type { AppDeps } from "../../app_deps.ts";
import type { AppEnv } from "../../app_env.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";
import { requestAudit } from "../../request_audit.ts";
import type { AuditAction } from "../../../core/audit/mod.ts";
import type { JsonValue } from "../../../core/bus/mod.ts";

const Name = z.string().regex(
  /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
  "expected 1-64 letters, digits, '_', '.' or '-'",
);
const IdParams = z.object({ id: z.coerce.number().int().min(1) });

const CreateChannel = z.strictObject({
  name: Name,
  enabled: z.boolean().default(true),
  config: CHANNEL_CONFIG_SCHEMA,
});

const UpdateChannel = z.strictObject({
  name: Name.optional(),
  enabled: z.boolean().optional(),
  /** Whole settings; a `secret` or `password` left out keeps the stored one. */
  config: CHANNEL_CONFIG_SCHEMA.optional(),
});

const DeliveryQuery = z.object({
  state: z.enum(["pending", "delivered", "failed"]).optional(),
  channel_id: z.coerce.number().int().min(1).optional(),
  alert_id: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * `/api/v1/alerts`: alert channels and rules (admins change them, viewers
 * read them without credentials), "send test alert", and the outbox's
 * delivery status. Every change is announced on `alerts.config.changed`,
 * so the alerts worker rereads its rules and is re-spawned with the new
 * channels' destinations.
 */
export function alertsRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/alerts", guard);
  const { alerts } = deps.repos;
  const changed = () => deps.bus.publish(ALERTS_CHANGED_TOPIC, { at: deps.now().toISOString() });
  // Who changed what, for the audit log: never a setting's value (it may be a credential).
  const audit = (
    c: Context<AppEnv>,
    action: AuditAction,
    target: string,
    detail: { [key: string]: JsonValue } = {},
  ) => requestAudit(deps, c)({ action, target, outcome: "success", detail });
  const channelDetail = (channel: AlertChannelRecord) => ({
    type: channel.kind,
    enabled: channel.enabled,
    event_stream: channel.config.event_stream === true,
    audit_log: channel.config.audit_log === true,
  });
  const channelOr404 = async (id: number): Promise<AlertChannelRecord> =>
    await alerts.getChannel(id) ?? notFound("channel", id);
  const nameFree = async (name: string, id?: number) =>
    refuseTakenName(await alerts.listChannels(), { what: "Channel", name, id });

  router.route({
    method: "get",
    path: "/channels",
    summary: "Alert channels (credentials left out)",
    access: "viewer",
  }, async (c) => {
    const role = c.get("user").role;
    const items = (await alerts.listChannels()).map((ch) => alertChannelView(ch, role));
    return c.json({ items, total: items.length });
  });

  router.route(
    {
      method: "get",
      path: "/channels/:id",
      summary: "One alert channel",
      access: "viewer",
      params: IdParams,
      responses: { 200: "The channel", 404: "No such channel" },
    },
    async (c, { params }) =>
      c.json(alertChannelView(await channelOr404(params.id), c.get("user").role)),
  );

  router.route({
    method: "post",
    path: "/channels",
    summary: "Add an alert channel (syslog, smtp, webhook or file)",
    access: "admin",
    body: CreateChannel,
    responses: { 201: "Created", 400: "Invalid body", 409: "Name taken" },
  }, async (c, { body }) => {
    await nameFree(body.name);
    let channel = await alerts.createChannel({
      name: body.name,
      kind: body.config.type,
      config: body.config,
    });
    if (!body.enabled) channel = (await alerts.updateChannel(channel.id, { enabled: false }))!;
    deps.log.info("alert channel added", { by: c.get("user").username, channel: channel.name });
    await audit(c, "alert_channel.created", channel.name, channelDetail(channel));
    changed();
    return c.json(alertChannelView(channel, "admin"), 201);
  });

  router.route({
    method: "put",
    path: "/channels/:id",
    summary: "Change an alert channel: name, settings, or enabled (enabling clears its failures)",
    access: "admin",
    params: IdParams,
    body: UpdateChannel,
    responses: { 200: "Changed", 400: "Invalid body", 404: "No such channel", 409: "Name taken" },
  }, async (c, { params, body }) => {
    const stored = await channelOr404(params.id);
    if (body.name !== undefined) await nameFree(body.name, stored.id);
    let config: Record<string, unknown> | undefined;
    if (body.config) {
      config = { ...body.config };
      if (body.config.type === stored.kind) {
        for (const key of ["secret", "password"]) {
          if (config[key] === undefined && stored.config[key] !== undefined) {
            config[key] = stored.config[key];
          }
        }
      }
    }
    const channel = await alerts.updateChannel(stored.id, {
      name: body.name,
      enabled: body.enabled,
      config,
      kind: body.config?.type,
    });
    deps.log.info("alert channel changed", { by: c.get("user").username, channel: stored.name });
    await audit(c, "alert_channel.changed", channel!.name, channelDetail(channel!));
    changed();
    return c.json(alertChannelView(channel!, "admin"));
  });

  router.route({
    method: "delete",
    path: "/channels/:id",
    summary: "Remove an alert channel and its undelivered alerts (not while a rule sends to it)",
    access: "admin",
    params: IdParams,
    responses: { 204: "Removed", 404: "No such channel", 409: "A rule sends to it" },
  }, async (c, { params }) => {
    const channel = await channelOr404(params.id);
    const rules = await alerts.rulesUsingChannel(channel.id);
    if (rules.length) {
      throw new HttpError(
        409,
        "in_use",
        `Channel ${channel.name} is used by rules: ${rules.join(", ")}`,
        {
          field: "path.id",
        },
      );
    }
    await alerts.deleteChannel(channel.id);
    deps.log.info("alert channel removed", { by: c.get("user").username, channel: channel.name });
    await audit(c, "alert_channel.deleted", channel.name);
    changed();
    return c.body(null, 204);
  });

  router.route({
    method: "post",
    path: "/channels/:id/test",
    summary:
      "Send a test alert through a channel (queued; follow it in /alerts/deliveries?alert_id=)",
    access: "admin",
    params: IdParams,
    responses: { 202: "Queued", 404: "No such channel", 409: "Channel disabled" },
  }, async (c, { params }) => {
    const channel = await channelOr404(params.id);
    if (!channel.enabled) {
      throw new HttpError(409, "disabled", `Channel ${channel.name} is disabled: enable it first`, {
        field: "path.id",
      });
    }
    const alert = testAlert({
      channel: channel.name,
      by: c.get("user").username,
      now: deps.now(),
      id: crypto.randomUUID(),
    });
    await alerts.commitAlerts({
      throttle: [],
      alerts: [{ alert_id: alert.id, channel_ids: [channel.id], payload: alert }],
    });
    deps.log.info("test alert queued", {
      by: c.get("user").username,
      channel: channel.name,
      alert: alert.id,
    });
    changed();
    return c.json({ alert_id: alert.id, channel_id: channel.id, state: "pending" }, 202);
  });

  router.route({
    method: "get",
    path: "/rules",
    summary: "Alert rules",
    access: "viewer",
  }, async (c) => {
    const items = await alerts.listRules();
    return c.json({ items, total: items.length });
  });

  router.route({
    method: "get",
    path: "/rules/:id",
    summary: "One alert rule",
    access: "viewer",
    params: IdParams,
    responses: { 200: "The rule", 404: "No such rule" },
  }, async (c, { params }) => {
    return c.json(await alerts.getRule(params.id) ?? notFound("rule", params.id));
  });

  const checkRule = async (body: z.infer<typeof ALERT_RULE_SCHEMA>, id?: number) => {
    const known = new Set((await alerts.listChannels()).map((ch) => ch.id));
    const unknown = body.channel_ids.filter((ch) => !known.has(ch));
    if (unknown.length) {
      throw new HttpError(400, "invalid", `No such channel: ${unknown.join(", ")}`, {
        field: "body.channel_ids",
      });
    }
    refuseTakenName(await alerts.listRules(), { what: "Rule", name: body.name, id });
  };

  router.route({
    method: "post",
    path: "/rules",
    summary: "Add an alert rule: events, filters, severity, throttling, digest and channels",
    access: "admin",
    body: ALERT_RULE_SCHEMA,
    responses: { 201: "Created", 400: "Invalid body", 409: "Name taken" },
  }, async (c, { body }) => {
    await checkRule(body);
    const rule = await alerts.createRule(body);
    deps.log.info("alert rule added", { by: c.get("user").username, rule: rule.name });
    await audit(c, "alert_rule.created", rule.name, { events: rule.events });
    changed();
    return c.json(rule, 201);
  });

  router.route({
    method: "put",
    path: "/rules/:id",
    summary: "Replace an alert rule (its throttle windows start afresh)",
    access: "admin",
    params: IdParams,
    body: ALERT_RULE_SCHEMA,
    responses: { 200: "Replaced", 400: "Invalid body", 404: "No such rule", 409: "Name taken" },
  }, async (c, { params, body }) => {
    if (!await alerts.getRule(params.id)) notFound("rule", params.id);
    await checkRule(body, params.id);
    const rule = await alerts.replaceRule(params.id, body);
    deps.log.info("alert rule replaced", { by: c.get("user").username, rule: body.name });
    await audit(c, "alert_rule.changed", body.name, { events: body.events });
    changed();
    return c.json(rule);
  });

  router.route({
    method: "delete",
    path: "/rules/:id",
    summary: "Remove an alert rule",
    access: "admin",
    params: IdParams,
    responses: { 204: "Removed", 404: "No such rule" },
  }, async (c, { params }) => {
    const rule = await alerts.getRule(params.id) ?? notFound("rule", params.id);
    await alerts.deleteRule(params.id);
    deps.log.info("alert rule removed", { by: c.get("user").username, rule: params.id });
    await audit(c, "alert_rule.deleted", rule.name);
    changed();
    return c.body(null, 204);
  });

  router.route({
    method: "get",
    path: "/deliveries",
    summary:
      "The alert outbox, newest first: each alert per channel, its state, attempts and last error",
    access: "viewer",
    query: DeliveryQuery,
  }, async (c, { query }) => {
    const { items, total } = await alerts.listDeliveries({
      state: query.state,
      channelId: query.channel_id,
      alertId: query.alert_id,
      limit: query.limit,
      offset: query.offset,
    });
    const admin = c.get("user").role === "admin";
    return c.json({ items: items.map((d) => deliveryView(d, admin)), total });
  });

  return router;
}

/** Throws the 404 of a channel or rule id that is not stored. */
function notFound(what: "channel" | "rule", id: number): never {
  throw new HttpError(404, "not_found", `No such ${what}: ${id}`, { field: "path.id" });
}

/** Throws the 409 of a channel or rule name another one (not `id`) already has. */
function refuseTakenName(
  records: { id: number; name: string }[],
  wanted: { what: "Channel" | "Rule"; name: string; id?: number },
): void {
  if (records.some((r) => r.name === wanted.name && r.id !== wanted.id)) {
    throw new HttpError(409, "conflict", `${wanted.what} name already exists: ${wanted.name}`, {
      field: "body.name",
    });
  }
}

/** A delivery on the wire; captured secrets in the alert are masked for viewers. */
function deliveryView(d: AlertDeliveryRecord, admin: boolean) {
  const alert = d.payload as Alert;
  return { ...d, payload: admin ? alert : maskAlertSecrets(alert, false) };
}
