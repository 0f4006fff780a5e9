import assert from "node:assert/strict";
import { ALERTS_CHANGED_TOPIC } from "../../core/alerts/alerts_changed_topic.ts";
import { makeTestApp } from "./test_app.ts";

const WEBHOOK = {
  type: "webhook",
  url: "https://chat.example/hooks/T000/B000/XXXX",
  secret: "a shared secret for tests",
};

Deno.test("/api/v1/alerts/channels: admins add, change and remove; viewers read without credentials", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("ann", "admin");
  const viewer = await t.login("vera", "viewer");
  const changes: string[] = [];
  using _sub = t.deps.bus.subscribe(ALERTS_CHANGED_TOPIC, ({ topic }) => void changes.push(topic));

  const created = await t.request("/api/v1/alerts/channels", {
    method: "POST",
    token: admin,
    json: { name: "chat", config: WEBHOOK },
  });
  assert.equal(created.status, 201);
  const channel = await created.json();
  assert.equal(channel.type, "webhook");
  assert.equal(channel.config.secret, undefined);
  assert.deepEqual(channel.secrets_set, ["secret"]);
  assert.deepEqual(channel.destinations, ["chat.example:443"]);
  assert.equal(channel.config.format, "json");

  const denied = await t.request("/api/v1/alerts/channels", {
    method: "POST",
    token: viewer,
    json: { name: "x", config: WEBHOOK },
  });
  assert.equal(denied.status, 403);
  await denied.body?.cancel();

  const seen = await (await t.request(`/api/v1/alerts/channels/${channel.id}`, { token: viewer }))
    .json();
  assert.equal(seen.config.url, "https://chat.example/…");
  assert.equal(seen.config.secret, undefined);
  assert.equal(JSON.stringify(seen).includes("XXXX"), false);

  // A change without the secret keeps the stored one.
  const changed = await t.request(`/api/v1/alerts/channels/${channel.id}`, {
    method: "PUT",
    token: admin,
    json: { config: { ...WEBHOOK, secret: undefined, format: "slack" }, enabled: false },
  });
  assert.equal(changed.status, 200);
  const after = await changed.json();
  assert.equal(after.enabled, false);
  assert.deepEqual(after.secrets_set, ["secret"]);
  assert.equal((await t.repos.alerts.getChannel(channel.id))?.config.secret, WEBHOOK.secret);

  const removed = await t.request(`/api/v1/alerts/channels/${channel.id}`, {
    method: "DELETE",
    token: admin,
  });
  assert.equal(removed.status, 204);
  assert.equal(
    (await t.request(`/api/v1/alerts/channels/${channel.id}`, { token: viewer })).status,
    404,
  );
  assert.equal(changes.length, 3);

  // Each change is in the audit log, by whom and on what, never with a setting's value.
  const { items } = await t.repos.audit.list({ limit: 10, offset: 0 });
  assert.deepEqual(items.map((e) => [e.action, e.actor, e.target]).reverse(), [
    ["alert_channel.created", "ann", "chat"],
    ["alert_channel.changed", "ann", "chat"],
    ["alert_channel.deleted", "ann", "chat"],
  ]);
  assert.deepEqual(JSON.parse(items[1].detail), {
    type: "webhook",
    enabled: false,
    event_stream: false,
    audit_log: false,
  });
  assert.equal(JSON.stringify(items).includes(WEBHOOK.secret), false);
  assert.equal(JSON.stringify(items).includes("XXXX"), false);
});

Deno.test("/api/v1/alerts answers bad input with a 400 naming the field", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("ann", "admin");
  const cases: [string, unknown, string][] = [
    ["/api/v1/alerts/channels", {
      name: "s",
      config: { type: "syslog", transport: "udp", host: "siem", port: 99999 },
    }, "body.config.port"],
    ["/api/v1/alerts/channels", { name: "bad name!", config: WEBHOOK }, "body.name"],
    [
      "/api/v1/alerts/channels",
      { name: "f", config: { type: "file", path: "relative.log" } },
      "body.config.path",
    ],
    [
      "/api/v1/alerts/rules",
      { name: "r", events: ["canary_triggered"], channel_ids: [42] },
      "body.channel_ids",
    ],
    [
      "/api/v1/alerts/rules",
      { name: "r", events: ["tripwire"], channel_ids: [1] },
      "body.events.0",
    ],
    ["/api/v1/alerts/rules", {
      name: "r",
      events: ["canary_triggered"],
      channel_ids: [1],
      throttle_seconds: -1,
    }, "body.throttle_seconds"],
  ];
  for (const [path, json, field] of cases) {
    const res = await t.request(path, { method: "POST", token: admin, json });
    assert.equal(res.status, 400, JSON.stringify(json));
    const body = await res.json();
    assert.equal(body.error.field, field, JSON.stringify(body));
  }
  assert.equal((await t.repos.alerts.listChannels()).length, 0);
});

Deno.test("/api/v1/alerts/rules: CRUD, channel in use, and a test alert queued in the outbox", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("ann", "admin");
  const viewer = await t.login("vera", "viewer");
  const channel = await (await t.request("/api/v1/alerts/channels", {
    method: "POST",
    token: admin,
    json: { name: "chat", config: WEBHOOK },
  })).json();
  const created = await t.request("/api/v1/alerts/rules", {
    method: "POST",
    token: admin,
    json: {
      name: "canaries",
      events: ["canary_triggered", "first_contact"],
      channel_ids: [channel.id],
    },
  });
  assert.equal(created.status, 201);
  const rule = await created.json();
  assert.equal(rule.throttle_seconds, 600);
  assert.deepEqual(rule.dedupe_by, ["token", "source"]);
  assert.equal(rule.severity, "high");

  const inUse = await t.request(`/api/v1/alerts/channels/${channel.id}`, {
    method: "DELETE",
    token: admin,
  });
  assert.equal(inUse.status, 409);
  assert.match((await inUse.json()).error.message, /canaries/);

  const replaced = await t.request(`/api/v1/alerts/rules/${rule.id}`, {
    method: "PUT",
    token: admin,
    json: {
      name: "canaries",
      events: ["canary_triggered"],
      channel_ids: [channel.id],
      digest_seconds: 900,
    },
  });
  assert.equal((await replaced.json()).digest_seconds, 900);
  const list = await (await t.request("/api/v1/alerts/rules", { token: viewer })).json();
  assert.equal(list.total, 1);

  const test = await t.request(`/api/v1/alerts/channels/${channel.id}/test`, {
    method: "POST",
    token: admin,
  });
  assert.equal(test.status, 202);
  const { alert_id } = await test.json();
  const deliveries =
    await (await t.request(`/api/v1/alerts/deliveries?alert_id=${alert_id}`, { token: viewer }))
      .json();
  assert.equal(deliveries.total, 1);
  assert.equal(deliveries.items[0].state, "pending");
  assert.equal(deliveries.items[0].payload.kind, "test");
  assert.match(deliveries.items[0].payload.summary, /ann sent a test alert to channel chat/);

  assert.equal(
    (await t.request(`/api/v1/alerts/rules/${rule.id}`, { method: "DELETE", token: admin })).status,
    204,
  );
  assert.equal((await t.request(`/api/v1/alerts/rules/${rule.id}`, { token: viewer })).status, 404);
});

Deno.test("/api/v1/alerts answers a taken name with 409 and an unknown id with 404, naming the field", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("ann", "admin");
  const send = async (method: string, path: string, json?: unknown) => {
    const res = await t.request(`/api/v1/alerts${path}`, { method, token: admin, json });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  };
  const channel = (await send("POST", "/channels", { name: "chat", config: WEBHOOK })).body;
  const other = (await send("POST", "/channels", { name: "other", config: WEBHOOK })).body;
  const rule = { events: ["canary_triggered"], channel_ids: [channel.id] };
  const canaries = (await send("POST", "/rules", { name: "canaries", ...rule })).body;
  const spare = (await send("POST", "/rules", { name: "spare", ...rule })).body;
  const cases: [string, string, unknown, number, RegExp, string][] = [
    [
      "POST",
      "/channels",
      { name: "chat", config: WEBHOOK },
      409,
      /^Channel name already exists: chat$/,
      "body.name",
    ],
    [
      "PUT",
      `/channels/${other.id}`,
      { name: "chat" },
      409,
      /^Channel name already exists: chat$/,
      "body.name",
    ],
    [
      "POST",
      "/rules",
      { name: "canaries", ...rule },
      409,
      /^Rule name already exists: canaries$/,
      "body.name",
    ],
    [
      "PUT",
      `/rules/${spare.id}`,
      { name: "canaries", ...rule },
      409,
      /^Rule name already exists: canaries$/,
      "body.name",
    ],
    ["GET", "/channels/999", undefined, 404, /^No such channel: 999$/, "path.id"],
    ["PUT", "/channels/999", { enabled: false }, 404, /^No such channel: 999$/, "path.id"],
    ["GET", "/rules/999", undefined, 404, /^No such rule: 999$/, "path.id"],
    ["PUT", "/rules/999", { name: "x", ...rule }, 404, /^No such rule: 999$/, "path.id"],
    ["DELETE", "/rules/999", undefined, 404, /^No such rule: 999$/, "path.id"],
  ];
  for (const [method, path, json, status, error, field] of cases) {
    const res = await send(method, path, json);
    assert.equal(res.status, status, `${method} ${path}`);
    assert.match(res.body.error.message, error, `${method} ${path}`);
    assert.equal(res.body.error.field, field, `${method} ${path}`);
  }
  // Keeping its own name is no conflict.
  assert.equal(
    (await send("PUT", `/rules/${canaries.id}`, { name: "canaries", ...rule })).status,
    200,
  );
  assert.equal((await send("PUT", `/channels/${channel.id}`, { name: "chat" })).status, 200);
});

Deno.test("/api/v1/openapi.json documents the alerts routes", async () => {
  await using t = await makeTestApp();
  const doc = await (await t.request("/api/v1/openapi.json")).json();
  for (
    const path of [
      "/api/v1/alerts/channels",
      "/api/v1/alerts/channels/{id}/test",
      "/api/v1/alerts/rules",
      "/api/v1/alerts/deliveries",
    ]
  ) {
    assert.ok(doc.paths[path], path);
  }
});
