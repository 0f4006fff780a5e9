import assert from "node:assert/strict";
import { makeTestApp } from "./test_app.ts";
import type { TestApp } from "./test_app.ts";
import { countingUnixSocket } from "../infra/counting_unix_socket.ts";

// Names no decky, token, user or worker can have: NUL, markup, a slash, too long.
const BAD_SEGMENTS = ["%00", "%3Cb%3Ex%3C%2Fb%3E", "a%2Fb", "a".repeat(5000)];

async function errorOf(
  res: Response,
): Promise<{ status: number; field?: string; message: string }> {
  const body = await res.json();
  return { status: res.status, field: body.error?.field, message: body.error?.message ?? "" };
}

async function withApp(
  fn: (t: TestApp, admin: string, docker: { connections: number }) => Promise<void>,
) {
  const home = await Deno.makeTempDir({ prefix: "validation-" });
  try {
    await using docker = countingUnixSocket(home);
    await using t = await makeTestApp({ DECNET_HOME: home, DOCKER_HOST: docker.url });
    await fn(t, await t.login("admin", "admin"), docker);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("DELETE /api/v1/fleet/deckies/{name} refuses a non-decky name with 400 before Docker", async (t) => {
  await withApp(async (app, admin, docker) => {
    // A_1 is a fine user name but not a decky name.
    for (const segment of [...BAD_SEGMENTS, "A_1"]) {
      await t.step(segment.slice(0, 20), async () => {
        for (const method of ["GET", "DELETE"]) {
          const res = await app.request(`/api/v1/fleet/deckies/${segment}`, {
            method,
            token: admin,
          });
          const error = await errorOf(res);
          assert.equal(error.status, 400, `${method} ${error.message}`);
          assert.equal(error.field, "path.name");
          assert.match(error.message, /decky name|Too big/);
          assert.ok(error.message.length < 200, error.message);
        }
      });
    }
    assert.equal(docker.connections, 0);
    await t.step("a good name still goes to Docker", async () => {
      const res = await app.request("/api/v1/fleet/deckies/ws-01", {
        method: "DELETE",
        token: admin,
      });
      assert.equal(res.status, 503);
      await res.body?.cancel();
      assert.ok(docker.connections > 0);
    });
  });
});

Deno.test("POST /api/v1/fleet/deploy names body.interface for a bad interface name", async () => {
  await withApp(async (app, admin) => {
    const config = "[network]\n[decky ws-01]\nservices = ssh\nimage = img:1\n";
    for (const iface of ["eth0;reboot", "a".repeat(16), "<b>"]) {
      const res = await app.request("/api/v1/fleet/deploy", {
        method: "POST",
        token: admin,
        json: { config, dry_run: true, interface: iface },
      });
      const error = await errorOf(res);
      assert.equal(error.status, 400, error.message);
      assert.equal(error.field, "body.interface");
      assert.doesNotMatch(error.message, /--interface/);
    }
  });
});

Deno.test("POST /api/v1/canary/tokens applies the fleet and placement rules with deploy:false", async (t) => {
  await withApp(async (app, admin) => {
    const good = { kind: "http", generator: "env_file", deploy: false };
    const cases: [string, Record<string, unknown>, string][] = [
      ["markup in decky_name", { decky_name: "<b>x</b>" }, "body.decky_name"],
      ["upper case decky_name", { decky_name: "WS_01" }, "body.decky_name"],
      ["long decky_name", { decky_name: "a".repeat(64) }, "body.decky_name"],
      ["markup in placement_path", { placement_path: "/tmp/<b>x</b>" }, "body.placement_path"],
      ["escape in placement_path", { placement_path: "/tmp/\u001b[31mx" }, "body.placement_path"],
      ["bad blob_uuid", { generator: undefined, blob_uuid: "../x" }, "body.blob_uuid"],
      ["bad persona login", { persona: { os: "linux", login: "../root" } }, "body.persona.login"],
      [
        "markup in persona name",
        { persona: { os: "linux", name: "<i>J</i>" } },
        "body.persona.name",
      ],
      [
        "control in persona name",
        { persona: { os: "linux", name: "J\u0007" } },
        "body.persona.name",
      ],
    ];
    for (const [name, fields, field] of cases) {
      await t.step(name, async () => {
        const res = await app.request("/api/v1/canary/tokens", {
          method: "POST",
          token: admin,
          json: { ...good, ...fields },
        });
        const error = await errorOf(res);
        assert.equal(error.status, 400, error.message);
        assert.equal(error.field, field);
      });
    }
    const list = await (await app.request("/api/v1/canary/tokens", { token: admin })).json();
    assert.equal(list.total, 0, "nothing was stored");
    await t.step("good values are still issued", async () => {
      const res = await app.request("/api/v1/canary/tokens", {
        method: "POST",
        token: admin,
        json: {
          ...good,
          decky_name: "ws-01",
          placement_path: "~/app/.env",
          persona: { os: "linux", login: "jdoe", name: "Zoë Ångström" },
        },
      });
      assert.equal(res.status, 201);
      assert.equal((await res.json()).decky_name, "ws-01");
    });
    await t.step("the decky_name filter follows the same rule", async () => {
      const res = await app.request("/api/v1/canary/tokens?decky_name=%3Cb%3E", { token: admin });
      assert.equal((await errorOf(res)).field, "query.decky_name");
    });
  });
});

Deno.test("API path parameters: malformed is 400, unknown is 404, both name the field", async (t) => {
  await withApp(async (app, admin) => {
    const unknownUuid = crypto.randomUUID();
    const routes: [string, string, string, string][] = [
      ["GET", "/api/v1/canary/tokens/{}", "path.uuid", unknownUuid],
      ["GET", "/api/v1/canary/tokens/{}/artifact", "path.uuid", unknownUuid],
      ["GET", "/api/v1/canary/tokens/{}/triggers", "path.uuid", unknownUuid],
      ["DELETE", "/api/v1/canary/tokens/{}", "path.uuid", unknownUuid],
      ["DELETE", "/api/v1/canary/blobs/{}", "path.uuid", unknownUuid],
      ["DELETE", "/api/v1/users/{}", "path.username", "nobody"],
      ["GET", "/api/v1/fleet/deckies/{}", "path.name", "ws-99"],
    ];
    for (const [method, route, field, unknown] of routes) {
      await t.step(`${method} ${route}`, async () => {
        for (const segment of BAD_SEGMENTS) {
          const res = await app.request(route.replace("{}", segment), { method, token: admin });
          const error = await errorOf(res);
          assert.equal(error.status, 400, `${segment.slice(0, 20)}: ${error.message}`);
          assert.equal(error.field, field);
        }
        const res = await app.request(route.replace("{}", unknown), { method, token: admin });
        const error = await errorOf(res);
        assert.equal(error.status, 404, error.message);
        assert.equal(error.field, field);
      });
    }
    // Worker names have no syntax of their own: anything unknown is a 404.
    for (
      const [method, route, field] of [
        ["POST", "/api/v1/workers/{}/start", "path.name"],
      ]
    ) {
      await t.step(`${method} ${route}`, async () => {
        for (const segment of BAD_SEGMENTS) {
          const res = await app.request(route.replace("{}", segment), { method, token: admin });
          const error = await errorOf(res);
          assert.equal(error.status, 404);
          assert.equal(error.field, field);
          assert.ok(error.message.length < 200, "a long value is cut in the message");
        }
      });
    }
  });
});

Deno.test("GET /api/v1/openapi.json documents the path parameters' rules", async () => {
  await using t = await makeTestApp();
  const doc = await (await t.request("/api/v1/openapi.json")).json();
  const param = (path: string, method: string) =>
    doc.paths[path][method].parameters.find((p: { in: string }) => p.in === "path");
  assert.equal(param("/api/v1/fleet/deckies/{name}", "delete").schema.maxLength, 63);
  assert.equal(param("/api/v1/canary/tokens/{uuid}", "get").schema.format, "uuid");
  assert.equal(param("/api/v1/workers/{name}/start", "post").schema.type, "string");
});
