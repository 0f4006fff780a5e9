/**
 * API figures: login (scrypt-bound on purpose) and an authenticated GET,
 * in process through app.request and over real HTTP on loopback; a flood of
 * stream tickets (capped per user) and the cost of a stream's session re-check.
 */
import { makeTestApp } from "../web/test_app.ts";
import { serveApi } from "../../web/mod.ts";
import { checkSession } from "../../web/auth/check_session.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

await using t = await makeTestApp({ DECNET_LOGIN_MAX_ATTEMPTS: "100000" });
const token = await t.login("bench", "admin");

const login = await timeIt(20, async () => {
  const res = await t.request("/api/v1/auth/login", {
    method: "POST",
    json: { username: "bench", password: "bench-password-1" },
  });
  await res.body?.cancel();
}, 2);
console.log(formatTimings("login (in process, scrypt N=2^15)", login));

const me = await timeIt(2000, async () => {
  const res = await t.request("/api/v1/auth/me", { token });
  await res.body?.cancel();
});
console.log(formatTimings("GET /auth/me (in process)", me));

await using server = serveApi(t.app, { hostname: "127.0.0.1", port: 0 });
const url = `http://127.0.0.1:${server.port}/api/v1/auth/me`;
const overHttp = await timeIt(2000, async () => {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await res.body?.cancel();
});
console.log(formatTimings("GET /auth/me (HTTP loopback, sequential)", overHttp));

// Ticket flood (issue 12: 30,000 unredeemed tickets once grew RSS by 100 MB): capped per user now.
const statuses = new Map<number, number>();
const tickets = await timeIt(3000, async () => {
  const res = await t.request("/api/v1/auth/sse-ticket", { method: "POST", token });
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  await res.body?.cancel();
});
const benchUser = await t.repos.users.findByUsername("bench");
console.log(formatTimings("POST /auth/sse-ticket flood (one user)", tickets));
console.log(
  `  answers: ${[...statuses].map(([s, n]) => `${n}x ${s}`).join(", ")}; tickets held: ${
    t.deps.tickets.outstandingTickets(benchUser!.uuid, t.deps.now().getTime())
  }`,
);

// What an open stream costs its session every 2 s: one re-check (revocation + user lookups).
const claims = await t.deps.jwt.verify(token, t.deps.now());
const recheck = await timeIt(2000, () => checkSession(t.deps, claims!).then(() => {}));
console.log(formatTimings("stream session re-check (checkSession)", recheck));
