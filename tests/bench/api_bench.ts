/**
 * API figures: login (scrypt-bound on purpose) and an authenticated GET,
 * in process through app.request and over real HTTP on loopback.
 */
import { makeTestApp } from "../web/test_app.ts";
import { serveApi } from "../../web/mod.ts";
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
