/**
 * Dashboard figures: JavaScript (and CSS) shipped per page, gzipped, against
 * the 50 KB target; server render time per page (session check, repository
 * reads and preact-render-to-string) through app.request with realistic data.
 */
import { gzipSync } from "node:zlib";
import { EMBEDDED_ASSETS } from "../../web/assets/embedded_assets.ts";
import { hashPassword } from "../../web/mod.ts";
import { makeTestApp } from "../web/test_app.ts";
import { makeTokenInput } from "../web/_token_fixture.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const gz = (text: string) => gzipSync(new TextEncoder().encode(text)).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

await using t = await makeTestApp();
t.clock.now = new Date();
await t.repos.users.create({
  username: "bench",
  passwordHash: await hashPassword("bench-password-1"),
  role: "admin",
});
const login = await t.request("/login", {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: "username=bench&password=bench-password-1",
});
const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];

// 50 deckies, 500 events over the day, 10 tokens with triggers, 100 files on one decky.
let firstUuid = "";
for (let i = 0; i < 50; i++) {
  const d = await t.repos.fleet.upsert({
    hostUuid: "local",
    name: `decky-${String(i).padStart(2, "0")}`,
    ip: `192.0.2.${i + 1}`,
    services: ["ssh", "smb"],
    images: {},
    network: null,
    networkDriver: null,
    osPersona: "linux",
  }, i % 10 === 0 ? "degraded" : "running");
  if (i === 0) firstUuid = d.uuid;
}
const now = t.clock.now.getTime();
for (let i = 0; i < 500; i++) {
  await t.repos.orchestrator.insertEvent({
    ts: new Date(now - i * 170_000).toISOString(),
    kind: "file",
    src_decky_uuid: null,
    src_decky_name: "decky-00",
    dst_decky_uuid: null,
    dst_decky_name: null,
    success: i % 9 ? 1 : 0,
    payload: "{}",
    error: null,
  });
}
for (let i = 0; i < 10; i++) {
  const token = await t.repos.canary.insertToken(makeTokenInput({
    uuid: crypto.randomUUID(),
    callback_token: `slug${String(i).padStart(18, "0")}`,
    decky_name: "decky-00",
    decky_uuid: firstUuid,
    placement_path: `/home/u/file-${i}`,
  }));
  await t.repos.canary.recordTrigger({
    tokenUuid: token.uuid,
    occurredAt: new Date(now - i * 60_000),
    srcIp: "198.51.100.7",
    userAgent: "curl/8",
    method: "GET",
    requestPath: "/c/x",
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  });
}
for (let i = 0; i < 100; i++) {
  await t.repos.syntheticFiles.upsert({
    deckyUuid: firstUuid,
    path: `/home/ann/doc-${i}.txt`,
    persona: "ann",
    contentClass: "notes",
    at: new Date(now - 86_400_000).toISOString(),
    lastModified: new Date(now - i * 60_000).toISOString(),
    contentHash: String(i),
    body: "x",
  });
}

const jsGz = gz(EMBEDDED_ASSETS.js.body);
const cssGz = gz(EMBEDDED_ASSETS.css.body);
console.log(
  `islands bundle: ${kb(EMBEDDED_ASSETS.js.body.length)} raw, ${kb(jsGz)} gzipped ` +
    `(target <= 50 KB); stylesheet ${kb(cssGz)} gzipped`,
);
const pages = [
  "/login",
  "/",
  "/fleet",
  "/fleet/decky-00",
  "/orchestrator",
  "/canary",
  "/personas",
  "/realism",
  "/workers",
];
for (const path of pages) {
  const res = await t.request(path, { headers: path === "/login" ? {} : { cookie } });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  const js = html.includes(EMBEDDED_ASSETS.js.path) ? jsGz : 0;
  console.log(
    `${path.padEnd(24)} html ${kb(gz(html)).padStart(8)} gz, JS shipped ${kb(js)} gz`,
  );
}
for (const path of pages) {
  const timings = await timeIt(300, async () => {
    const res = await t.request(path, { headers: path === "/login" ? {} : { cookie } });
    await res.text();
  }, 20);
  console.log(formatTimings(`render ${path}`, timings));
}
