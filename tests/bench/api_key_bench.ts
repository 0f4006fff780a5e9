/**
 * Read-only API keys and the audit log: a keyed GET against the same GET
 * with a session token (in process through app.request; a key costs a
 * sha256 and an indexed lookup, its last-use write at most once a minute),
 * and audit entries recorded and listed on SQLite.
 */
import { makeTestApp } from "../web/test_app.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

await using t = await makeTestApp();
const token = await t.login("bench", "admin");
const created = await t.request("/api/v1/api-keys", {
  method: "POST",
  token,
  json: { name: "bench", role: "admin-read" },
});
const { key } = await created.json();

const withToken = await timeIt(2000, async () => {
  const res = await t.request("/api/v1/attackers", { token });
  await res.body?.cancel();
});
console.log(formatTimings("GET /api/v1/attackers with a session token (in process)", withToken));

const withKey = await timeIt(2000, async () => {
  const res = await t.request("/api/v1/attackers", { token: key });
  await res.body?.cancel();
});
console.log(formatTimings("GET /api/v1/attackers with an API key (in process)", withKey));

let n = 0;
const record = await timeIt(2000, async () => {
  await t.repos.audit.record({
    actor: "bench",
    actorKind: "user",
    action: "user.added",
    target: `u${n++}`,
    outcome: "success",
    detail: { role: "viewer" },
  });
});
console.log(formatTimings("AuditRepository.record (SQLite in memory)", record));

const list = await timeIt(200, async () => {
  await t.repos.audit.list({ action: "user.added", limit: 100, offset: 0 });
});
console.log(formatTimings("GET-sized audit page (100 of 2,000+, by action)", list));
