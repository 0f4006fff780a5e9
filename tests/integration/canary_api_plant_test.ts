import assert from "node:assert/strict";
import { shellScript } from "../../core/docker/mod.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE } from "../infra/test_image.ts";
import { makeTestApp } from "../web/test_app.ts";

const HTML = "<html><head><title>Plan</title></head><body><p>Roadmap</p></body></html>\n";
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test({
  name: "POST /api/v1/canary/tokens plants into a real decky container and DELETE removes it",
  ignore: dockerdUnavailable() !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    const dir = await Deno.makeTempDir({ prefix: "canary-api-plant-" });
    try {
      await using app = await makeTestApp({
        DOCKER_HOST: daemon.dockerHost,
        DECNET_CANARY_BLOB_DIR: dir,
        DECNET_CANARY_HTTP_BASE: "http://192.0.2.10:8088",
        // A documentation-range base is refused for planted bait outside tests.
        DECNET_CANARY_ALLOW_LOCAL: "true",
      });
      const docker = app.deps.docker;
      await buildTestImage(docker);
      await docker.createContainer({ image: TEST_IMAGE, name: "ws-01-ssh", init: true });
      await docker.startContainer("ws-01-ssh");
      await app.repos.fleet.upsert({
        hostUuid: "local",
        name: "ws-01",
        ip: null,
        services: ["ssh"],
        images: { ssh: TEST_IMAGE },
        network: null,
        networkDriver: null,
        osPersona: "linux",
      }, "running");
      const admin = await app.login("admin", "admin");
      const exec = async (script: string, args: string[]) => {
        const r = await docker.exec("ws-01-ssh", shellScript(script, args));
        return { code: r.exitCode, out: r.stdout };
      };

      await t.step("a generator token is planted (201, state planted)", async () => {
        const res = await app.request("/api/v1/canary/tokens", {
          method: "POST",
          token: admin,
          json: {
            kind: "http",
            generator: "env_file",
            decky_name: "ws-01",
            placement_path: "~/srv/app/.env",
            persona: { os: "linux", login: "user" },
          },
        });
        const token = await res.json();
        assert.equal(res.status, 201);
        assert.equal(token.state, "planted", token.last_error);
        const file = await exec('cat "$1"', ["/home/user/srv/app/.env"]);
        const artifact = await app.request(`/api/v1/canary/tokens/${token.uuid}/artifact`, {
          token: admin,
        });
        assert.deepEqual(file.out, new Uint8Array(await artifact.arrayBuffer()));
        const stat = await exec('stat -c "%a %U" "$1"', ["/home/user/srv/app/.env"]);
        assert.equal(text(stat.out).trim(), "640 user");

        const revoked = await app.request(`/api/v1/canary/tokens/${token.uuid}`, {
          method: "DELETE",
          token: admin,
        });
        assert.equal((await revoked.json()).state, "revoked");
        assert.equal((await exec('test -e "$1"', ["/home/user/srv/app/.env"])).code, 1);
      });

      await t.step("an upload token is planted with its callback inside", async () => {
        const form = new FormData();
        form.append("file", new File([HTML], "roadmap.html"));
        const blob = await (await app.request("/api/v1/canary/blobs", {
          method: "POST",
          token: admin,
          body: form,
        })).json();
        const res = await app.request("/api/v1/canary/tokens", {
          method: "POST",
          token: admin,
          json: {
            kind: "http",
            blob_uuid: blob.uuid,
            decky_name: "ws-01",
            placement_path: "/srv/share/it's $(here)/roadmap.html",
          },
        });
        const token = await res.json();
        assert.equal(res.status, 201);
        assert.equal(token.state, "planted", token.last_error);
        const file = await exec('cat "$1"', ["/srv/share/it's $(here)/roadmap.html"]);
        assert.match(text(file.out), new RegExp(token.callback_token));
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
