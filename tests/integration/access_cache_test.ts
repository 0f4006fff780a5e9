import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

const ADMIN_PASSWORD = "Operator-chosen-7-passphrase";

Deno.test("decnet up refuses a cached token and API key once `decnet user passwd` and `decnet api-key revoke` ran in another process", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "access-cache-" });
  const env = { DECNET_HOME: `${cwd}/var` };
  try {
    await using proc = spawnDecnet(["up", "--only", "api"], {
      cwd,
      env: { ...env, DECNET_API_PORT: "0", DECNET_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
    const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
    const status = async (headers: Record<string, string>) => {
      const res = await fetch(`${url}/api/v1/auth/me`, { headers });
      await res.body?.cancel();
      return res.status;
    };

    const created = await runDecnet(["api-key", "create", "siem", "--role", "viewer", "--json"], {
      cwd,
      env,
    });
    assert.equal(created.code, 0, created.stderr);
    const { uuid, key } = JSON.parse(created.stdout);
    const keyed = { "x-api-key": key };
    assert.equal(await status(keyed), 200);
    assert.equal(await status(keyed), 200);
    const revoked = await runDecnet(["api-key", "revoke", uuid], { cwd, env });
    assert.equal(revoked.code, 0, revoked.stderr);
    await waitUntil(async () => await status(keyed) === 401, { what: "the revoked key refused" });

    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
    });
    assert.equal(login.status, 200);
    const bearer = { authorization: `Bearer ${(await login.json()).access_token}` };
    assert.equal(await status(bearer), 200);
    assert.equal(await status(bearer), 200);
    const passwd = await runDecnet(["user", "passwd", "admin"], {
      cwd,
      env,
      stdin: "second-Admin-passphrase-8\n",
    });
    assert.equal(passwd.code, 0, passwd.stderr);
    await waitUntil(async () => await status(bearer) === 401, {
      what: "the token issued before the password change refused",
    });
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
