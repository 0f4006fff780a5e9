import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";

const ADMIN_PASSWORD = "Operator-chosen-7-passphrase";

async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.access_token;
}

/** Opens a live stream for `token`; returns a function reading it until the server ends it. */
async function openStream(url: string, token: string): Promise<() => Promise<string>> {
  const issued = await fetch(`${url}/api/v1/auth/sse-ticket`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  const { ticket } = await issued.json();
  // A stream left open fails the test instead of hanging it.
  const res = await fetch(`${url}/api/v1/events/stream?ticket=${ticket}`, {
    // Generous: each `decnet` command the test runs meanwhile starts a process of its own.
    signal: AbortSignal.timeout(120_000),
  });
  assert.equal(res.status, 200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("retry:")) text += (await reader.read()).value ?? "";
  return async () => {
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += r.value;
    } catch (e) {
      // A server that stops drops the connection; what was read so far is the answer.
      if (!(e instanceof TypeError)) throw e;
    }
    return text;
  };
}

Deno.test("decnet up closes a user's live streams within seconds when `decnet user passwd` or `user remove` runs in another process", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "streams-" });
  const env = { DECNET_HOME: `${cwd}/var` };
  try {
    await using proc = spawnDecnet(["up", "--only", "api"], {
      cwd,
      env: { ...env, DECNET_API_PORT: "0", DECNET_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
    const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
    const add = await runDecnet(["user", "add", "vera", "--role", "viewer"], {
      cwd,
      env,
      stdin: "first-Viewer-passphrase\n",
    });
    assert.equal(add.code, 0, add.stderr);

    const ended = await openStream(url, await login(url, "vera", "first-Viewer-passphrase"));
    const passwd = await runDecnet(["user", "passwd", "vera"], {
      cwd,
      env,
      stdin: "second-Viewer-passphrase\n",
    });
    assert.equal(passwd.code, 0, passwd.stderr);
    assert.match(
      await ended(),
      /event: session_ended\ndata: \{"reason":"Token issued before the last password change"\}/,
    );

    const admin = await openStream(url, await login(url, "admin", ADMIN_PASSWORD));
    const removedEnded = await openStream(
      url,
      await login(url, "vera", "second-Viewer-passphrase"),
    );
    const remove = await runDecnet(["user", "remove", "vera"], { cwd, env });
    assert.equal(remove.code, 0, remove.stderr);
    assert.match(await removedEnded(), /"reason":"Unknown user"/);
    await proc.close();
    // The admin's stream was open all along and ends only with the server.
    assert.doesNotMatch(await admin(), /session_ended/);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
