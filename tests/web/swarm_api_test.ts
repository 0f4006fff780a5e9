import assert from "node:assert/strict";
import { createUser } from "@nats-io/nkeys";
import { enrollSwarmHost, ensureSwarmAuthority } from "../../core/swarm/mod.ts";
import { makeTestCertificates, opensslUnavailable } from "../infra/test_certificates.ts";
import { makeTestApp } from "./test_app.ts";

const join = (body: unknown, ip?: string) => ({ method: "POST", json: body, ip });

Deno.test("POST /api/v1/swarm/join answers 503 on a master without a swarm", async () => {
  await using t = await makeTestApp();
  const res = await t.request(
    "/api/v1/swarm/join",
    join({ token: `a.${"A".repeat(43)}`, public_key: createUser().getPublicKey() }),
  );
  assert.equal(res.status, 503);
  assert.match((await res.json()).error.message, /DECNET_SWARM_NATS_URL/);
});

Deno.test("POST /api/v1/swarm/join answers 503 when the NATS CA file is missing", async () => {
  const home = await Deno.makeTempDir();
  try {
    await ensureSwarmAuthority(home);
    await using t = await makeTestApp({
      DECNET_HOME: home,
      DECNET_SWARM_NATS_URL: "tls://nats.example.test:4222",
      DECNET_SWARM_NATS_CA: `${home}/missing-ca.pem`,
    });
    const { token } = await enrollSwarmHost(t.repos.swarmHosts, "alpha", {
      now: t.clock.now,
      random: (b) => crypto.getRandomValues(b),
    });
    const res = await t.request(
      "/api/v1/swarm/join",
      join({ token, public_key: createUser().getPublicKey() }),
    );
    assert.equal(res.status, 503);
    assert.match(
      (await res.json()).error.message,
      /DECNET_SWARM_NATS_CA .*missing-ca\.pem does not exist/,
    );
    assert.equal((await t.repos.swarmHosts.get("alpha"))?.enrolled_at, null, "token not spent");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("POST /api/v1/swarm/join names the bad field", async () => {
  await using t = await makeTestApp();
  for (
    const [body, field] of [
      [{ token: "x", public_key: createUser().getPublicKey() }, "body.token"],
      [{ token: `a.${"A".repeat(43)}`, public_key: "U123" }, "body.public_key"],
      [
        { token: `a.${"A".repeat(43)}`, public_key: createUser().getPublicKey(), version: "" },
        "body.version",
      ],
      [{ token: `a.${"A".repeat(43)}`, public_key: createUser().getPublicKey(), extra: 1 }, "body"],
    ] as const
  ) {
    const res = await t.request("/api/v1/swarm/join", join(body));
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal((await res.json()).error.field, field);
  }
});

Deno.test({
  name: "POST /api/v1/swarm/join returns credentials once, then refuses; failures are rate-limited",
  ignore: opensslUnavailable() !== undefined,
  async fn() {
    const home = await Deno.makeTempDir();
    try {
      const { caFile } = await makeTestCertificates(home);
      await using t = await makeTestApp({
        DECNET_HOME: home,
        DECNET_SWARM_NATS_URL: "tls://nats.example.test:4222",
        DECNET_SWARM_NATS_CA: caFile,
      });
      await ensureSwarmAuthority(home);
      const { token } = await enrollSwarmHost(t.repos.swarmHosts, "alpha", {
        now: t.clock.now,
        random: (b) => crypto.getRandomValues(b),
      });
      const body = { token, public_key: createUser().getPublicKey(), version: "0.1.0" };
      const ok = await t.request("/api/v1/swarm/join", join(body));
      const joined = await ok.json();
      assert.equal(ok.status, 200, JSON.stringify(joined));
      assert.equal(joined.name, "alpha");
      assert.equal(joined.nats_url, "tls://nats.example.test:4222");
      assert.equal(joined.ca_pem, await Deno.readTextFile(caFile));
      assert.equal(joined.subjects.inbox_prefix, "_INBOX.alpha");
      assert.match(joined.user_jwt, /^ey/);

      const again = await t.request("/api/v1/swarm/join", join(body));
      assert.equal(again.status, 410);
      assert.deepEqual((await again.json()).error, {
        code: "join_refused",
        message: "Join token refused: it has been used already",
        field: "body.token",
      });

      const wrong = { ...body, token: `alpha.${"B".repeat(43)}` };
      for (let i = 0; i < 9; i++) {
        const res = await t.request("/api/v1/swarm/join", join(wrong));
        assert.equal(res.status, 401);
        await res.body?.cancel();
      }
      const limited = await t.request("/api/v1/swarm/join", join(wrong));
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get("retry-after")) > 0);
      await limited.body?.cancel();
      const elsewhere = await t.request("/api/v1/swarm/join", join(wrong, "192.0.2.99"));
      assert.equal(elsewhere.status, 401, "another address is not limited");
      await elsewhere.body?.cancel();

      const admin = await t.login("root", "admin");
      const hosts = await t.request("/api/v1/swarm/hosts", { token: admin });
      const list = await hosts.json();
      assert.equal(list.total, 1);
      assert.equal(list.items[0].state, "enrolled");
      assert.equal(list.items[0].version, "0.1.0");
      assert.equal("join_token_hash" in list.items[0], false);
      const viewer = await t.login("eve", "viewer");
      const denied = await t.request("/api/v1/swarm/hosts", { token: viewer });
      assert.equal(denied.status, 403);
      await denied.body?.cancel();
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
