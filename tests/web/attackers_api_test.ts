import assert from "node:assert/strict";
import { makeSensorEvent } from "../core/db/attackers_contract.ts";
import { makeTcpFingerprint } from "../core/db/tcp_fingerprints_contract.ts";
import { makeTokenInput } from "./_token_fixture.ts";
import type { TestApp } from "./test_app.ts";
import { makeTestApp } from "./test_app.ts";

const at = (s: number) => `2026-11-18T13:00:${String(s).padStart(2, "0")}.000Z`;

async function seed(t: TestApp): Promise<void> {
  await t.repos.attackers.storeSensorBatch({
    container: "c1",
    decky: "web-01",
    from: { logTime: "", linesAtTime: 0 },
    to: { logTime: at(9), linesAtTime: 1 },
    badLines: 0,
    isBenign: (ip) => ip === "192.0.2.50",
    events: [
      makeSensorEvent({ time: at(1) }),
      makeSensorEvent({
        kind: "credential",
        username: "administrator",
        secret_kind: "ntlmssp_v2",
        secret: "11223344",
        domain: "CORP",
        hashcat_mode: 5600,
        hashcat_line: "administrator::CORP:1122:aabb:ccdd",
        service: "smb",
        dst_port: 445,
        time: at(2),
      }),
      makeSensorEvent({ kind: "command", command: "<script>alert(1)</script>", time: at(3) }),
      makeSensorEvent({ src_ip: "192.0.2.10", service: "ftp", dst_port: 21, time: at(4) }),
      makeSensorEvent({ src_ip: "192.0.2.50", time: at(5) }),
    ],
  });
}

Deno.test("GET /api/v1/attackers lists, filters and sorts attackers for viewers", async () => {
  await using t = await makeTestApp();
  await seed(t);
  const token = await t.login("vera", "viewer");
  const list = await (await t.request("/api/v1/attackers", { token })).json();
  assert.equal(list.total, 2);
  assert.deepEqual(list.items.map((a: { ip: string }) => a.ip), ["192.0.2.10", "192.0.2.9"]);
  const busiest = await (await t.request("/api/v1/attackers?sort=event_count", { token })).json();
  assert.equal(busiest.items[0].ip, "192.0.2.9");
  assert.equal(busiest.items[0].event_count, 3);
  assert.equal(busiest.items[0].credential_count, 1);
  const smb = await (await t.request("/api/v1/attackers?service=smb", { token })).json();
  assert.deepEqual(smb.items.map((a: { ip: string }) => a.ip), ["192.0.2.9"]);
  const bad = await t.request("/api/v1/attackers?service=gopher", { token });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.field, "query.service");
  assert.equal((await t.request("/api/v1/attackers")).status, 401);
});

Deno.test("GET /api/v1/attackers/:id shows the timeline; secrets only to admins", async () => {
  await using t = await makeTestApp();
  await seed(t);
  const viewer = await t.login("vera", "viewer");
  const admin = await t.login("ada", "admin");
  const list = await (await t.request("/api/v1/attackers?sort=event_count", { token: viewer }))
    .json();
  const id = list.items[0].id;
  const seen = await (await t.request(`/api/v1/attackers/${id}`, { token: viewer })).json();
  assert.equal(seen.ip, "192.0.2.9");
  assert.deepEqual(seen.services.map((s: { service: string }) => s.service).sort(), ["smb", "ssh"]);
  assert.equal(seen.events.total, 3);
  assert.equal(seen.events.items[0].text, "<script>alert(1)</script>");
  assert.equal(seen.credentials[0].username, "administrator");
  assert.equal(seen.credentials[0].secret, undefined);
  assert.equal(seen.credentials[0].hashcat_line, undefined);
  const full = await (await t.request(`/api/v1/attackers/${id}`, { token: admin })).json();
  assert.equal(full.credentials[0].hashcat_line, "administrator::CORP:1122:aabb:ccdd");
  assert.equal((await t.request("/api/v1/attackers/999", { token: viewer })).status, 404);
  assert.equal((await t.request("/api/v1/attackers/x", { token: viewer })).status, 400);
});

Deno.test("GET /api/v1/credentials and /api/v1/logs page, filter and hide benign sources", async () => {
  await using t = await makeTestApp();
  await seed(t);
  const viewer = await t.login("vera", "viewer");
  const admin = await t.login("ada", "admin");
  const creds = await (await t.request("/api/v1/credentials", { token: viewer })).json();
  assert.equal(creds.total, 1);
  assert.equal(creds.items[0].secret, undefined);
  const adminCreds = await (await t.request("/api/v1/credentials?service=smb", { token: admin }))
    .json();
  assert.equal(adminCreds.items[0].hashcat_mode, 5600);
  assert.equal(adminCreds.items[0].secret, "11223344");
  const logs = await (await t.request("/api/v1/logs", { token: viewer })).json();
  assert.equal(logs.total, 4);
  const withBenign = await (await t.request("/api/v1/logs?benign=true", { token: viewer })).json();
  assert.equal(withBenign.total, 5);
  const search = await (await t.request("/api/v1/logs?q=alert", { token: viewer })).json();
  assert.equal(search.total, 1);
  assert.equal(search.items[0].kind, "command");
  const since = await (await t.request(`/api/v1/logs?since=${at(4)}`, { token: viewer })).json();
  assert.equal(since.total, 1);
  assert.equal((await t.request("/api/v1/logs?since=yesterday", { token: viewer })).status, 400);
});

Deno.test("GET /api/v1/attackers/:id attributes canary triggers from its address, whenever recorded", async () => {
  await using t = await makeTestApp();
  const token = makeTokenInput({ decky_name: "web-01" });
  await t.repos.canary.insertToken(token);
  const hit = (srcIp: string, second: number) => ({
    tokenUuid: token.uuid,
    occurredAt: new Date(at(second)),
    srcIp,
    userAgent: "git/2.39.5",
    method: "GET",
    requestPath: `/c/${token.callback_token}/info/refs`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  });
  // The trigger comes before the attacker's first sensor event: attributed all the same.
  await t.repos.canary.recordTriggers([hit("192.0.2.9", 0), hit("198.51.100.1", 1)]);
  await seed(t);
  const viewer = await t.login("vera", "viewer");
  const list = await (await t.request("/api/v1/attackers?sort=event_count", { token: viewer }))
    .json();
  const detail = await (await t.request(`/api/v1/attackers/${list.items[0].id}`, { token: viewer }))
    .json();
  assert.equal(detail.ip, "192.0.2.9");
  assert.equal(detail.canary_hits.length, 1);
  assert.equal(detail.canary_hits[0].token_uuid, token.uuid);
  assert.equal(detail.canary_hits[0].decky_name, "web-01");
});

Deno.test("GET /api/v1/attackers/:id carries the TCP stack snapshot and its changes", async () => {
  await using t = await makeTestApp();
  await seed(t);
  const viewer = await t.login("vera", "viewer");
  const list = await (await t.request("/api/v1/attackers", { token: viewer })).json();
  const id = list.items.find((a: { ip: string }) => a.ip === "192.0.2.9").id;
  const before = await (await t.request(`/api/v1/attackers/${id}`, { token: viewer })).json();
  assert.equal(before.tcp_fingerprint, null);
  assert.deepEqual(before.tcp_fingerprints, { items: [], total: 0 });
  const first = makeTcpFingerprint({ src_ip: "192.0.2.9", ipid_class: "zero", ipid_samples: 4 });
  const second = makeTcpFingerprint({
    src_ip: "192.0.2.9",
    os_guess: "nmap SYN scan",
    options: "mss",
    repeats: 3,
    occurred_at: "2026-12-01T10:00:09.000Z",
  });
  await t.repos.tcpFingerprints.recordTcpFingerprint(first);
  await t.repos.tcpFingerprints.recordTcpFingerprint(second);
  const after = await (await t.request(`/api/v1/attackers/${id}`, { token: viewer })).json();
  assert.equal(after.tcp_fingerprint.os_guess, "nmap SYN scan");
  assert.equal(after.tcp_fingerprint.ipid_class, "zero");
  assert.equal(after.tcp_fingerprint.syn_count, 5);
  assert.deepEqual(after.tcp_fingerprints, { items: [second, first], total: 2 });
  const listed = await (await t.request("/api/v1/attackers", { token: viewer })).json();
  const row = listed.items.find((a: { id: number }) => a.id === id);
  assert.equal(row.tcp_fingerprint.os_guess, "nmap SYN scan");
});

Deno.test("GET /api/v1/attackers?host= narrows to attackers of one swarm host, or of this host by its uuid", async () => {
  await using t = await makeTestApp({ DECNET_HOST_UUID: "master-1" });
  await seed(t);
  await t.repos.attackers.storeSensorBatch({
    container: "alpha/c1",
    decky: "db-01",
    from: { logTime: "", linesAtTime: 0 },
    to: { logTime: at(9), linesAtTime: 1 },
    badLines: 0,
    isBenign: () => false,
    events: [makeSensorEvent({ decky: "db-01", src_ip: "192.0.2.77", time: at(1) })],
    host: "alpha",
  });
  const token = await t.login("vera", "viewer");
  const ips = async (query: string) =>
    (await (await t.request(`/api/v1/attackers${query}`, { token })).json()).items
      .map((a: { ip: string }) => a.ip);
  assert.deepEqual(await ips("?host=alpha"), ["192.0.2.77"]);
  assert.deepEqual(await ips("?host=master-1"), ["192.0.2.10", "192.0.2.9"]);
  assert.deepEqual(await ips("?host=bravo"), []);
  assert.equal((await ips("")).length, 3);
  const [alpha] = (await (await t.request("/api/v1/attackers?host=alpha", { token })).json()).items;
  const detail = await (await t.request(`/api/v1/attackers/${alpha.id}`, { token })).json();
  assert.deepEqual(
    detail.services.map((s: { decky: string; host: string | null }) => [s.decky, s.host]),
    [["db-01", "alpha"]],
  );
  const bad = await t.request(`/api/v1/attackers?host=${"x".repeat(129)}`, { token });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.field, "query.host");
});
