import assert from "node:assert/strict";
import { DEFAULT_ACCESS_CACHE_TTL_MS } from "../../../web/auth/access_cache.ts";
import { watchAccountChanges } from "../../../web/auth/watch_account_changes.ts";
import { changePasswordOnBus } from "../_password_change_on_bus.ts";
import { makeTestApp, type TestApp } from "../test_app.ts";
import { pageSession } from "./_page_session.ts";

async function pageStatus(t: TestApp, path: string, cookie: string): Promise<number> {
  const res = await t.request(path, { headers: { cookie } });
  await res.body?.cancel();
  return res.status;
}

Deno.test("pagesRouter() takes sessions from the API's access cache: a change made elsewhere is seen after its TTL", async () => {
  await using t = await makeTestApp();
  const cookie = await pageSession(t, { username: "alice", role: "viewer" });
  assert.equal(t.deps.accessCache.size, 0);
  assert.equal(await pageStatus(t, "/workers", cookie), 200);
  assert.equal(t.deps.accessCache.size, 1, "the page's grant is cached");
  t.clock.now = new Date(t.clock.now.getTime() + 1000);
  // As `decnet user passwd` in another process does: no signal reaches this app.
  await t.repos.users.setPassword("alice", "new-hash");
  assert.equal(await pageStatus(t, "/workers", cookie), 200, "within the TTL: no database read");
  t.clock.now = new Date(t.clock.now.getTime() + DEFAULT_ACCESS_CACHE_TTL_MS);
  assert.equal(await pageStatus(t, "/workers", cookie), 303);
});

Deno.test("pagesRouter() refuses the page of a user removed through the API at once", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("root", "admin");
  const cookie = await pageSession(t, { username: "alice", role: "viewer" });
  assert.equal(await pageStatus(t, "/workers", cookie), 200);
  assert.equal(await pageStatus(t, "/workers", cookie), 200);
  const removed = await t.request("/api/v1/users/alice", { method: "DELETE", token: admin });
  assert.equal(removed.status, 204);
  const res = await t.request("/workers", { headers: { cookie } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/login?next=%2Fworkers");
  await res.body?.cancel();
});

Deno.test("pagesRouter() refuses a cached session at once after a password change announced on the bus", async () => {
  await using t = await makeTestApp();
  const watches = watchAccountChanges(t.deps.bus, () => t.deps.accessCache.clear());
  try {
    const cookie = await pageSession(t, { username: "alice", role: "viewer" });
    assert.equal(await pageStatus(t, "/workers", cookie), 200);
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    await changePasswordOnBus(t, "alice");
    assert.equal(await pageStatus(t, "/workers", cookie), 303);
  } finally {
    for (const w of watches) w.close();
  }
});
