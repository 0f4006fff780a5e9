import assert from "node:assert/strict";
import { makeSensorEvent } from "../../core/db/attackers_contract.ts";
import { makeTcpFingerprint, makeTcpProbe } from "../../core/db/tcp_fingerprints_contract.ts";
import { makeTestApp } from "../test_app.ts";
import type { TestApp } from "../test_app.ts";
import { ATTACKER_MARKUP, pageSession, readPage } from "./_page_session.ts";

const at = (s: number) => `2026-11-18T13:00:${String(s).padStart(2, "0")}.000Z`;

async function seed(t: TestApp): Promise<void> {
  await t.repos.attackers.storeSensorBatch({
    container: "c1",
    decky: "web-01",
    from: { logTime: "", linesAtTime: 0 },
    to: { logTime: at(9), linesAtTime: 1 },
    badLines: 0,
    isBenign: () => false,
    events: [
      makeSensorEvent({ time: at(1), client_ident: ATTACKER_MARKUP }),
      makeSensorEvent({
        kind: "credential",
        username: ATTACKER_MARKUP,
        secret_kind: "ntlmssp_v2",
        secret: "aabbccdd",
        domain: "CORP",
        hashcat_mode: 5600,
        hashcat_line: "u::CORP:11:22:33",
        time: at(2),
        // As the collector's ingest annotates it.
        ukc_phases: ["credential_access"],
      }),
      makeSensorEvent({ kind: "command", command: `echo ${ATTACKER_MARKUP}`, time: at(3) }),
    ],
  });
}

Deno.test("attacker pages show attacker-sent text escaped, and secrets to admins only", async () => {
  await using t = await makeTestApp();
  await seed(t);
  const viewer = await pageSession(t, { username: "vera", role: "viewer" });
  const admin = await pageSession(t, { username: "ada", role: "admin" });
  const page = (path: string, cookie: string) => readPage(t, path, cookie);
  const list = await page("/attackers", viewer);
  assert.match(list, /href="\/attackers\/1"/);
  assert.match(list, /192\.0\.2\.9/);
  const detail = await page("/attackers/1", viewer);
  assert.match(detail, /&lt;img src=x onerror=/);
  assert.match(detail, /credential_access/);
  assert.ok(!detail.includes("u::CORP:11:22:33"));
  assert.ok((await page("/attackers/1", admin)).includes("u::CORP:11:22:33"));
  assert.ok(!(await page("/credentials", viewer)).includes("aabbccdd"));
  assert.ok((await page("/credentials", admin)).includes("u::CORP:11:22:33"));
  assert.match(await page("/logs?q=echo", viewer), /echo &lt;img/);
  assert.equal((await t.request("/attackers/99", { headers: { cookie: viewer } })).status, 404);
  assert.equal((await t.request("/attackers/x", { headers: { cookie: viewer } })).status, 404);
});

Deno.test("attacker page shows the TCP STACK panel with class tags, or says none was seen", async () => {
  await using t = await makeTestApp();
  await seed(t);
  const viewer = await pageSession(t, { username: "vera", role: "viewer" });
  const page = (path: string) => readPage(t, path, viewer);
  assert.match(await page("/attackers/1"), /No SYN from this address was fingerprinted/);
  // The sensor attacker's SYNs, then a SYN-only source (a scanner that never completed a handshake).
  await t.repos.tcpFingerprints.recordTcpFingerprint(makeTcpFingerprint({
    src_ip: "192.0.2.9",
    ttl: 120,
    initial_ttl: 128,
    hop_distance: 8,
    os_guess: "Windows 10/11",
    options: "mss,nop,ws,nop,nop,sok",
    tos: "42",
    dscp: 10,
    ecn: 2,
    ipid_class: "incremental",
    ipid_samples: 8,
    isn_class: "random",
    isn_samples: 8,
  }));
  const { attacker } = await t.repos.tcpFingerprints.recordTcpFingerprint(makeTcpFingerprint({
    src_ip: "198.51.100.4",
    os_guess: `nmap SYN scan`,
    options: "mss",
    ipid_class: "constant",
    ipid_samples: 6,
    isn_class: "zero",
    isn_samples: 6,
  }));
  const windows = await page("/attackers/1");
  assert.match(windows, /data-testid="os-guess"[^>]*>Windows 10\/11</);
  assert.match(windows, /data-testid="ttl"[^>]*>120 \(initial 128, 8 hops\)/);
  assert.match(windows, /<code data-testid="tcp-options">mss,nop,ws,nop,nop,sok<\/code>/);
  assert.match(windows, /class="badge seq-incremental" data-testid="ipid-class"/);
  assert.match(windows, /class="badge seq-random" data-testid="isn-class"/);
  assert.match(windows, /DSCP 10, ECN 2 \(TOS 42\)/);
  const scanner = await page(`/attackers/${attacker.id}`);
  assert.match(scanner, /class="badge seq-constant" data-testid="ipid-class"/);
  assert.match(scanner, /class="badge seq-zero" data-testid="isn-class"/);
  assert.match(scanner, /data-testid="tcp-history"/);
  assert.doesNotMatch(scanner, /data-testid="tcp-probe"/);

  // Probed (DECNET_PROBER=on): what each of its ports answered.
  await t.repos.tcpFingerprints.recordTcpProbe(makeTcpProbe({ src_ip: "198.51.100.4" }));
  const probed = await page(`/attackers/${attacker.id}`);
  assert.match(probed, /data-testid="tcp-probe"/);
  assert.match(
    probed,
    /<tr data-state="open"><td>22<\/td><td>open<\/td><td>64 \(initial 64\)<\/td>/,
  );
  assert.match(probed, /<td>3000000000<\/td>/);
  assert.match(probed, /<tr data-state="closed"><td>23<\/td><td>closed<\/td>/);
});

Deno.test("attackers page filters by swarm host, offering this host and the enrolled agents", async () => {
  await using t = await makeTestApp({ DECNET_HOST_UUID: "master-1" });
  await seed(t);
  await t.repos.swarmHosts.enroll({
    name: "alpha",
    tokenHash: "0".repeat(64),
    expiresAt: new Date("2026-11-18T15:00:00.000Z"),
  });
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
  const viewer = await pageSession(t, { username: "vera", role: "viewer" });
  const all = await readPage(t, "/attackers", viewer);
  assert.match(all, /<option value="alpha"/);
  assert.match(all, /<option value="master-1"/);
  const alpha = await readPage(t, "/attackers?host=alpha", viewer);
  assert.match(alpha, /Attackers \(1\)/);
  assert.ok(alpha.includes("192.0.2.77"));
  assert.ok(!alpha.includes("192.0.2.9<"));
  const [attacker] = (await t.repos.attackers.listAttackers({ host: "alpha", limit: 1, offset: 0 }))
    .items;
  assert.match(await readPage(t, `/attackers/${attacker.id}`, viewer), /<td>alpha<\/td>/);
  const local = await readPage(t, "/attackers?host=master-1", viewer);
  assert.match(local, /Attackers \(1\)/);
  assert.ok(!local.includes("192.0.2.77"));
});
