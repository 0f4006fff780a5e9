import assert from "node:assert/strict";
import { makeTestApp } from "../test_app.ts";
import type { TestApp } from "../test_app.ts";

async function page(t: TestApp, path: string, token: string): Promise<[number, string]> {
  const res = await t.request(path, { headers: { cookie: `session=${token}` } });
  return [res.status, await res.text()];
}

Deno.test("/swarm lists the swarm hosts for admins; viewers neither see nor reach it", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("alice", "admin");
  const viewer = await t.login("vera", "viewer");
  const [, empty] = await page(t, "/swarm", admin);
  assert.match(empty, /No host enrolled: decnet swarm enroll NAME/);
  const [denied] = await page(t, "/swarm", viewer);
  assert.equal(denied, 403);
  const [, overview] = await page(t, "/", viewer);
  assert.doesNotMatch(overview, /href="\/swarm"/);
  const [, adminOverview] = await page(t, "/", admin);
  assert.match(adminOverview, /href="\/swarm"/);
});
