import assert from "node:assert/strict";
import { countingUnixSocket } from "../infra/counting_unix_socket.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";

/** DELETE with curl exactly as written (`--path-as-is`: no client-side `..` folding). */
async function curlDelete(url: string, token: string): Promise<{ status: number; body: string }> {
  const out = await new Deno.Command("curl", {
    args: [
      "-s",
      "--path-as-is",
      "-X",
      "DELETE",
      "-H",
      `authorization: Bearer ${token}`,
      "-w",
      "\n%{http_code}",
      url,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const nl = text.lastIndexOf("\n");
  return { status: Number(text.slice(nl + 1)), body: text.slice(0, nl) };
}

Deno.test("decnet up: DELETE /api/v1/fleet/deckies/{name} keeps bad names away from Docker", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "up-validation-" });
  try {
    await using docker = countingUnixSocket(cwd);
    await using proc = spawnDecnet(["up", "--only", "api"], {
      cwd,
      env: {
        DECNET_API_PORT: "0",
        DECNET_ADMIN_PASSWORD: "a-long-admin-password",
        DOCKER_HOST: docker.url,
      },
    });
    const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "a-long-admin-password" }),
    });
    const { access_token } = await login.json();
    for (const segment of ["..", "%2e%2e", "%00", "a%00b", "%3Cb%3E", "a".repeat(5000)]) {
      const res = await curlDelete(`${url}/api/v1/fleet/deckies/${segment}`, access_token);
      // 400 naming path.name; a bare ".." the server folds into another path (no route: 404).
      assert.ok(res.status === 400 || res.status === 404, `${segment.slice(0, 20)}: ${res.status}`);
      if (res.status === 400) assert.equal(JSON.parse(res.body).error.field, "path.name");
    }
    assert.equal(docker.connections, 0, "no request reached Docker");
    const good = await curlDelete(`${url}/api/v1/fleet/deckies/ws-01`, access_token);
    assert.equal(good.status, 503, "a good name goes on to Docker, which is away");
    assert.ok(docker.connections > 0);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
