import assert from "node:assert/strict";
import { blobArtifact, BlobStore, contextFromToken, generateArtifact } from "../../canary/mod.ts";
import type { BusMessage } from "../../core/bus/mod.ts";
import { makeTestApp, type TestApp } from "./test_app.ts";

const HTML = "<html><head><title>Q3</title></head><body><p>Quarterly numbers</p></body></html>\n";

async function withApp(fn: (app: TestApp, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "canary-api-" });
  try {
    await using app = await makeTestApp({
      DECNET_CANARY_BLOB_DIR: dir,
      DECNET_CANARY_MAX_UPLOAD: "4096",
      DECNET_CANARY_HTTP_BASE: "http://192.0.2.10:8088",
      DECNET_CANARY_ALLOW_LOCAL: "true",
    });
    await fn(app, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function upload(
  app: TestApp,
  token: string,
  bytes: Uint8Array<ArrayBuffer> | string,
  name = "report.html",
) {
  const form = new FormData();
  form.append("file", new File([bytes], name));
  return app.request("/api/v1/canary/blobs", { method: "POST", token, body: form });
}

async function addDecky(app: TestApp, name: string): Promise<void> {
  await app.repos.fleet.upsert({
    hostUuid: "local",
    name,
    ip: "192.0.2.21",
    services: ["ssh"],
    images: {},
    network: null,
    networkDriver: null,
    osPersona: "linux",
  }, "running");
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return await res.json();
}

Deno.test("POST /api/v1/canary/blobs stores, dedupes and refuses bad uploads", async (t) => {
  await withApp(async (app, dir) => {
    const admin = await app.login("admin", "admin");
    const viewer = await app.login("watcher", "viewer");
    let uuid = "";

    await t.step("stores an upload with 201", async () => {
      const res = await upload(app, admin, HTML);
      assert.equal(res.status, 201);
      const body = await json(res);
      assert.equal(body.filename, "report.html");
      assert.equal(body.size, new TextEncoder().encode(HTML).length);
      assert.equal(body.sha256, BlobStore.digest(new TextEncoder().encode(HTML)));
      uuid = String(body.uuid);
      const stored = new BlobStore(dir).pathFor(String(body.sha256));
      assert.equal(await Deno.readTextFile(stored), HTML);
    });

    await t.step("answers the same blob for the same bytes", async () => {
      const res = await upload(app, admin, HTML, "copy.html");
      assert.equal(res.status, 200);
      assert.equal((await json(res)).uuid, uuid);
    });

    await t.step("refuses empty, missing, too large and unfit files", async (t) => {
      const cases: [string, () => Promise<Response>, number][] = [
        ["empty", () => upload(app, admin, ""), 400],
        [
          "missing",
          () =>
            app.request("/api/v1/canary/blobs", {
              method: "POST",
              token: admin,
              body: new FormData(),
            }),
          400,
        ],
        ["over the limit", () => upload(app, admin, "x".repeat(5000), "big.txt"), 413],
        [
          "far over the limit (body limit)",
          () => upload(app, admin, "x".repeat(200_000), "huge.txt"),
          413,
        ],
        ["unfit", () => upload(app, admin, new Uint8Array([0, 1, 2, 3, 0, 9]), "x.bin"), 415],
      ];
      for (const [name, send, status] of cases) {
        await t.step(name, async () => {
          const res = await send();
          assert.equal(res.status, status);
          assert.equal(((await json(res)).error as { field: string }).field, "file");
        });
      }
    });

    await t.step("is admin only", async () => {
      const res = await upload(app, viewer, HTML);
      assert.equal(res.status, 403);
      await res.body?.cancel();
    });

    await t.step("GET /blobs lists with token counts", async () => {
      await app.request("/api/v1/canary/tokens", {
        method: "POST",
        token: admin,
        json: { kind: "http", blob_uuid: uuid, deploy: false },
      }).then((r) => r.body?.cancel());
      const res = await app.request("/api/v1/canary/blobs", { token: viewer });
      const body = await json(res);
      assert.equal(body.total, 1);
      assert.equal((body.items as { token_count: number }[])[0].token_count, 1);
    });

    await t.step("DELETE /blobs/{uuid} answers 409 while a token uses it", async () => {
      const res = await app.request(`/api/v1/canary/blobs/${uuid}`, {
        method: "DELETE",
        token: admin,
      });
      assert.equal(res.status, 409);
      await res.body?.cancel();
    });

    await t.step("DELETE /blobs/{uuid} removes row and bytes", async () => {
      const res = await upload(app, admin, "<html><body>other</body></html>", "o.html");
      const other = await json(res);
      const del = await app.request(`/api/v1/canary/blobs/${other.uuid}`, {
        method: "DELETE",
        token: admin,
      });
      assert.equal(del.status, 204);
      assert.equal(await new BlobStore(dir).has(String(other.sha256)), false);
      const again = await app.request(`/api/v1/canary/blobs/${other.uuid}`, {
        method: "DELETE",
        token: admin,
      });
      assert.equal(again.status, 404);
      await again.body?.cancel();
    });
  });
});

Deno.test("POST /api/v1/canary/tokens names the field of every validation error", async (t) => {
  await withApp(async (app, dir) => {
    const admin = await app.login("admin", "admin");
    const blob = await json(await upload(app, admin, HTML));
    await addDecky(app, "ws-01");
    const cases: [string, Record<string, unknown>, number, string][] = [
      [
        "both sources",
        { kind: "http", generator: "git_config", blob_uuid: blob.uuid },
        400,
        "body.generator",
      ],
      ["no source", { kind: "http", deploy: false }, 400, "body.generator"],
      [
        "unknown generator",
        { kind: "http", generator: "nope", deploy: false },
        400,
        "body.generator",
      ],
      ["kind mismatch", { kind: "http", generator: "aws_creds", deploy: false }, 400, "body.kind"],
      ["unknown kind", { kind: "smtp", generator: "aws_creds", deploy: false }, 400, "body.kind"],
      [
        "dns without zone",
        { kind: "dns", generator: "mysql_dump", deploy: false },
        400,
        "body.generator",
      ],
      ["blob of dns kind", { kind: "dns", blob_uuid: blob.uuid, deploy: false }, 400, "body.kind"],
      [
        "deploy without decky",
        { kind: "http", generator: "git_config", placement_path: "/tmp/c" },
        400,
        "body.decky_name",
      ],
      [
        "deploy without path",
        { kind: "http", generator: "git_config", decky_name: "ws-01" },
        400,
        "body.placement_path",
      ],
      [
        "relative path",
        { kind: "http", generator: "git_config", decky_name: "ws-01", placement_path: "etc/x" },
        400,
        "body.placement_path",
      ],
      [
        "dot-dot path",
        { kind: "http", generator: "git_config", decky_name: "ws-01", placement_path: "/tmp/../x" },
        400,
        "body.placement_path",
      ],
      [
        "newline path",
        { kind: "http", generator: "git_config", deploy: false, placement_path: "/tmp/a\nb" },
        400,
        "body.placement_path",
      ],
      [
        "windows path on a decky",
        {
          kind: "http",
          generator: "git_config",
          decky_name: "ws-01",
          placement_path: "C:\\Users\\a\\x",
        },
        400,
        "body.placement_path",
      ],
      [
        "bad persona login",
        {
          kind: "http",
          generator: "git_config",
          deploy: false,
          persona: { os: "linux", login: "$(id)" },
        },
        400,
        "body.persona.login",
      ],
      [
        "unknown field",
        { kind: "http", generator: "git_config", deploy: false, extra: 1 },
        400,
        "body",
      ],
      [
        "unknown blob",
        { kind: "http", blob_uuid: crypto.randomUUID(), deploy: false },
        404,
        "body.blob_uuid",
      ],
      [
        "unknown decky",
        { kind: "http", generator: "git_config", decky_name: "ws-99", placement_path: "/tmp/c" },
        404,
        "body.decky_name",
      ],
    ];
    for (const [name, body, status, field] of cases) {
      await t.step(name, async () => {
        const res = await app.request("/api/v1/canary/tokens", {
          method: "POST",
          token: admin,
          json: body,
        });
        const out = await json(res);
        assert.equal(res.status, status, JSON.stringify(out));
        assert.equal((out.error as { field: string }).field, field, JSON.stringify(out));
      });
    }

    await t.step("answers 410 when the blob's bytes are gone", async () => {
      await Deno.remove(new BlobStore(dir).pathFor(String(blob.sha256)));
      const res = await app.request("/api/v1/canary/tokens", {
        method: "POST",
        token: admin,
        json: { kind: "http", blob_uuid: blob.uuid, deploy: false },
      });
      assert.equal(res.status, 410);
      await res.body?.cancel();
    });
  });
});

Deno.test("/api/v1/canary/tokens issues, downloads, lists, plants and revokes", async (t) => {
  await withApp(async (app) => {
    const admin = await app.login("admin", "admin");
    const viewer = await app.login("watcher", "viewer");
    const events: BusMessage[] = [];
    let wake = () => {};
    app.deps.bus.subscribe("canary.>", (m) => {
      events.push(m);
      wake();
    });
    const eventCount = (n: number) =>
      new Promise<void>((resolve) => {
        wake = () => events.length >= n && resolve();
        wake();
      });
    let issued: Record<string, unknown> = {};

    await t.step("deploy:false issues a token (201, whole, state issued)", async () => {
      const res = await app.request("/api/v1/canary/tokens", {
        method: "POST",
        token: admin,
        json: { kind: "http", generator: "git_config", deploy: false },
      });
      assert.equal(res.status, 201);
      issued = await json(res);
      assert.equal(issued.state, "issued");
      assert.equal(issued.kind, "http");
      assert.equal(issued.generator, "git_config");
      assert.equal(typeof issued.callback_token, "string");
      assert.equal(issued.http_base, "http://192.0.2.10:8088");
      assert.match(issued.placement_path as string, /^~\/.*\/\.git\/config$/);
      assert.equal((issued.persona as { os: string }).os, "linux");
      assert.equal(issued.callback_token_lc, undefined);
    });

    await t.step(
      "GET /tokens/{uuid}/artifact returns the same bytes as a fresh generation",
      async () => {
        const res = await app.request(`/api/v1/canary/tokens/${issued.uuid}/artifact`, {
          token: admin,
        });
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-disposition") ?? "", /filename="config"/);
        const row = (await app.repos.canary.getToken(String(issued.uuid)))!;
        const fresh = await generateArtifact("git_config", contextFromToken(row));
        assert.deepEqual(new Uint8Array(await res.arrayBuffer()), fresh.bytes);
        assert.equal(res.headers.get("content-type"), fresh.mime);
        const denied = await app.request(`/api/v1/canary/tokens/${issued.uuid}/artifact`, {
          token: viewer,
        });
        assert.equal(denied.status, 403);
        await denied.body?.cancel();
      },
    );

    await t.step("an upload token's artifact is the instrumented upload", async () => {
      const blob = await json(await upload(app, admin, HTML));
      const res = await app.request("/api/v1/canary/tokens", {
        method: "POST",
        token: admin,
        json: { kind: "http", blob_uuid: blob.uuid, deploy: false },
      });
      const token = await json(res);
      assert.equal(token.blob_uuid, blob.uuid);
      const file = await app.request(`/api/v1/canary/tokens/${token.uuid}/artifact`, {
        token: admin,
      });
      const bytes = new Uint8Array(await file.arrayBuffer());
      const row = (await app.repos.canary.getToken(String(token.uuid)))!;
      const fresh = await blobArtifact(new TextEncoder().encode(HTML), {
        token: row,
        filename: "report.html",
      });
      assert.deepEqual(bytes, fresh.bytes);
      assert.match(new TextDecoder().decode(bytes), new RegExp(String(token.callback_token)));
    });

    await t.step("a plant that fails still answers 201, state failed", async () => {
      await addDecky(app, "ws-01");
      const res = await app.request("/api/v1/canary/tokens", {
        method: "POST",
        token: admin,
        json: {
          kind: "aws_passive",
          generator: "aws_creds",
          decky_name: "ws-01",
          placement_path: "~/.aws/credentials",
        },
      });
      assert.equal(res.status, 201);
      const token = await json(res);
      assert.equal(token.state, "failed");
      assert.equal(token.decky_name, "ws-01");
      assert.ok(token.decky_uuid);
      assert.match(String(token.last_error), /^Cannot /);
    });

    await t.step("GET /tokens filters and paginates", async () => {
      const all = await json(await app.request("/api/v1/canary/tokens", { token: viewer }));
      assert.equal(all.total, 3);
      const failed = await json(
        await app.request("/api/v1/canary/tokens?state=failed&decky_name=ws-01", {
          token: viewer,
        }),
      );
      assert.equal(failed.total, 1);
      const page = await json(
        await app.request("/api/v1/canary/tokens?limit=1&offset=1&kind=http", { token: viewer }),
      );
      assert.equal(page.total, 2);
      assert.equal((page.items as unknown[]).length, 1);
      const bad = await app.request("/api/v1/canary/tokens?state=lost", { token: viewer });
      assert.equal(bad.status, 400);
      assert.equal(((await json(bad)).error as { field: string }).field, "query.state");
      const one = await app.request(`/api/v1/canary/tokens/${issued.uuid}`, { token: viewer });
      assert.equal((await json(one)).uuid, issued.uuid);
      const none = await app.request(`/api/v1/canary/tokens/${crypto.randomUUID()}`, {
        token: viewer,
      });
      assert.equal(none.status, 404);
      await none.body?.cancel();
    });

    await t.step("GET /tokens/{uuid}/triggers lists recorded triggers", async () => {
      for (const ip of ["192.0.2.50", "192.0.2.51"]) {
        await app.repos.canary.recordTrigger({
          tokenUuid: String(issued.uuid),
          occurredAt: new Date("2026-11-18T15:00:00Z"),
          srcIp: ip,
          userAgent: "git/2.39",
          method: "GET",
          requestPath: `/c/${issued.callback_token}/info/refs`,
          dnsQname: null,
          dnsClientSubnet: null,
          headers: { host: "cdn" },
        });
      }
      const res = await app.request(`/api/v1/canary/tokens/${issued.uuid}/triggers?limit=1`, {
        token: viewer,
      });
      const body = await json(res);
      assert.equal(body.total, 2);
      const [first] = body.items as Record<string, unknown>[];
      assert.equal(first.src_ip, "192.0.2.51");
      assert.equal(first.channel, "http");
      assert.deepEqual(first.headers, { host: "cdn" });
      const token = await json(
        await app.request(`/api/v1/canary/tokens/${issued.uuid}`, { token: viewer }),
      );
      assert.equal(token.trigger_count, 2);
    });

    await t.step("DELETE /tokens/{uuid} revokes and publishes", async () => {
      const before = events.length;
      const res = await app.request(`/api/v1/canary/tokens/${issued.uuid}`, {
        method: "DELETE",
        token: admin,
      });
      assert.equal(res.status, 200);
      const token = await json(res);
      assert.equal(token.state, "revoked");
      assert.equal(token.last_error, null);
      await eventCount(before + 1);
      assert.equal(events.at(-1)?.topic, `canary.${issued.uuid}.revoked`);
      const viewerDelete = await app.request(`/api/v1/canary/tokens/${issued.uuid}`, {
        method: "DELETE",
        token: viewer,
      });
      assert.equal(viewerDelete.status, 403);
      await viewerDelete.body?.cancel();
      const missing = await app.request(`/api/v1/canary/tokens/${crypto.randomUUID()}`, {
        method: "DELETE",
        token: admin,
      });
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
    });
  });
});

Deno.test("canary upload route keeps the app-wide JSON limit elsewhere", async () => {
  await withApp(async (app) => {
    const admin = await app.login("admin", "admin");
    const res = await app.request("/api/v1/canary/tokens", {
      method: "POST",
      token: admin,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "http", pad: "x".repeat(1_100_000) }),
    });
    assert.equal(res.status, 413);
    await res.body?.cancel();
  });
});

Deno.test("POST /api/v1/canary/tokens refuses to plant bait calling back to a loopback base unless allowed", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "canary-api-" });
  try {
    // The default base, http://127.0.0.1:8088, with no override.
    await using app = await makeTestApp({ DECNET_CANARY_BLOB_DIR: dir });
    const admin = await app.login("admin", "admin");
    const body = {
      kind: "http",
      generator: "env_file",
      decky_name: "ws-01",
      placement_path: "~/app/.env",
    };
    await t.step("deploy:true answers 400 naming the setting", async () => {
      const res = await app.request("/api/v1/canary/tokens", {
        method: "POST",
        token: admin,
        json: { ...body, deploy: true },
      });
      const out = await json(res);
      assert.equal(res.status, 400, JSON.stringify(out));
      const error = out.error as { field: string; message: string };
      assert.equal(error.field, "body.deploy");
      assert.match(error.message, /DECNET_CANARY_HTTP_BASE is a loopback address/);
      assert.match(error.message, /DECNET_CANARY_ALLOW_LOCAL=true/);
    });
    await t.step("issue-only (deploy:false) is unaffected", async () => {
      const res = await app.request("/api/v1/canary/tokens", {
        method: "POST",
        token: admin,
        json: { ...body, deploy: false },
      });
      const out = await json(res);
      assert.equal(res.status, 201, JSON.stringify(out));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
