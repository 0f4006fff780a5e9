import assert from "node:assert/strict";
import { makeTestApp } from "../test_app.ts";
import type { TestApp } from "../test_app.ts";

async function page(t: TestApp, path: string, token: string): Promise<[number, string]> {
  const res = await t.request(path, { headers: { cookie: `session=${token}` } });
  return [res.status, await res.text()];
}

Deno.test("/audit shows admins the audit log, filtered and escaped; viewers neither see nor reach it", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("alice", "admin");
  const viewer = await t.login("vera", "viewer");
  await t.repos.audit.record({
    actor: "cli",
    actorKind: "cli",
    osUser: "root",
    action: "user.added",
    target: "<script>alert(1)</script>",
    outcome: "success",
    detail: { role: "viewer" },
  });
  await t.repos.audit.record({
    actor: "alice",
    actorKind: "user",
    clientIp: "192.0.2.7",
    action: "decky.torn_down",
    target: "web-01",
    outcome: "failure",
    detail: { error: `Cannot remove container: ${"x".repeat(80)}` },
  });

  const [status, html] = await page(t, "/audit", admin);
  assert.equal(status, 200);
  assert.match(html, /<a href="\/audit"[^>]*>Audit<\/a>/);
  assert.match(html, /Audit log \(2\)/);
  assert.match(html, /cli \(root\)/);
  assert.match(html, /alice<span class="muted"> from 192\.0\.2\.7<\/span>/);
  assert.ok(html.includes("&lt;script>alert(1)&lt;/script>"));
  assert.ok(!html.includes("<script>alert(1)"));
  // A short detail stays inline, a long one folds into a disclosure.
  assert.match(html, /<code>\{&quot;role&quot;:&quot;viewer&quot;\}<\/code>/);
  assert.match(
    html,
    /<details><summary><code>\{&quot;error&quot;:&quot;Cannot remove container: x+…<\/code><\/summary>/,
  );

  const [, filtered] = await page(t, "/audit?action=decky.torn_down&user=&since=", admin);
  assert.match(filtered, /Audit log \(1\)/);
  assert.match(filtered, /data-action="decky.torn_down"/);
  assert.doesNotMatch(filtered, /data-action="user.added"/);
  assert.match(filtered, /<option value="decky.torn_down" selected>/);

  const [bad, badHtml] = await page(t, "/audit?since=yesterday", admin);
  assert.equal(bad, 400);
  assert.match(badHtml, /query\.since/);

  const [denied] = await page(t, "/audit", viewer);
  assert.equal(denied, 403);
  const [, overview] = await page(t, "/", viewer);
  assert.doesNotMatch(overview, /href="\/audit"/);
  const [, adminOverview] = await page(t, "/", admin);
  assert.match(adminOverview, /href="\/audit"/);
});
