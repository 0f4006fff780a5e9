import assert from "node:assert/strict";
import { parseServiceLog } from "../../../core/attackers/parse_service_log.ts";
import type { SensorEvent } from "../../../core/sensor/mod.ts";

// Both files were written by the real servers (Debian bookworm's sshd -D -e
// -o LogLevel=VERBOSE and nginx 1.22 with `access_log ... combined`) under
// sshpass/ssh/curl and a raw socket; see the test names for what each did.
const testdata = new URL("../../testdata/", import.meta.url);
const sshLines = Deno.readTextFileSync(new URL("openssh_verbose.log", testdata)).trim().split("\n");
const nginxLines = Deno.readTextFileSync(new URL("nginx_combined.log", testdata)).trim().split(
  "\n",
);
const context = { decky: "ws-01", port: 22, time: "2026-12-01T12:00:00.000Z" } as const;

function events(lines: string[], format: "openssh" | "nginx", service: "ssh" | "http") {
  const out: SensorEvent[] = [];
  for (const line of lines) {
    const r = parseServiceLog(format, line, { ...context, service });
    assert.ok(r.ok, line);
    if (r.event) out.push(r.event);
  }
  return out;
}

Deno.test("parseServiceLog() reads real sshd VERBOSE lines into the sensor envelope", () => {
  const got = events(sshLines, "openssh", "ssh");
  const brief = got.map((e) =>
    [e.kind, e.session.split(":")[1], e.username ?? "", e.method ?? "", e.accepted ?? ""].join(" ")
      .trim()
  );
  assert.deepEqual(brief, [
    "connect 53554",
    "auth_attempt 53554 root password false",
    "disconnect 53554",
    "connect 53562",
    "auth_attempt 53562 nosuchuser none false",
    "auth_attempt 53562 nosuchuser password false",
    "disconnect 53562",
    "connect 37750",
    "auth_success 37750 tester password true",
    "disconnect 37750",
    "disconnect 37750",
    "connect 37760",
    "auth_attempt 37760 tester publickey false",
    "disconnect 37760",
    "connect 58742",
    "request 58742",
  ]);
  for (const e of got) {
    assert.equal(e.src_ip, "127.0.0.1");
    assert.equal(e.decky, "ws-01");
    assert.equal(e.service, "ssh");
  }
  assert.equal(got[0].dst_port, 2299, "the connect line names the port sshd listens on");
  assert.equal(got[1].dst_port, 22, "other lines take the fleet's port");
  assert.equal(got[5].invalid_user, true);
  assert.equal(got[12].key_type, "ED25519");
  assert.match(String(got[12].key_fingerprint), /^SHA256:/);
  assert.equal(got[15].detail, "invalid format");
});

Deno.test("parseServiceLog() accepts sshd lines with a syslog prefix and skips notices", () => {
  const r = parseServiceLog(
    "openssh",
    "Dec  1 12:00:00 ws-01 sshd[812]: Failed password for root from 192.0.2.9 port 40000 ssh2",
    { ...context, service: "ssh" },
  );
  assert.ok(r.ok && r.event);
  assert.equal(r.event.src_ip, "192.0.2.9");
  const notice = parseServiceLog("openssh", "Server listening on 0.0.0.0 port 22.", {
    ...context,
    service: "ssh",
  });
  assert.deepEqual(notice, { ok: true, event: null });
});

Deno.test("parseServiceLog() reads real nginx combined lines as requests", () => {
  const [nmap, wp] = events(nginxLines, "nginx", "http");
  assert.equal(nmap.kind, "request");
  assert.equal(nmap.method, "GET");
  assert.equal(nmap.path, "/admin/login.php");
  assert.equal(nmap.status, 403);
  assert.match(String(nmap.user_agent), /Nmap Scripting Engine/);
  assert.equal(nmap.time, "2026-12-01T12:30:36.000Z");
  assert.equal(wp.username, "admin");
  assert.equal(wp.path, "/wp-login.php?redirect=%2F");
  assert.equal(wp.referer, "http://example.test/\\x22x\\x22");
  assert.equal(wp.dst_port, 22);
  const bad = parseServiceLog("nginx", "not a log line", { ...context, service: "http" });
  assert.equal(bad.ok, false);
});

Deno.test("parseServiceLog() takes json lines as sensor events, validated", () => {
  const line = JSON.stringify({
    v: 1,
    time: "2026-12-01T12:00:00.000Z",
    decky: "ws-01",
    service: "ftp",
    kind: "connect",
    src_ip: "192.0.2.9",
    src_port: 40000,
    dst_port: 21,
    session: "x",
  });
  assert.equal(parseServiceLog("json", line, { ...context, service: "ftp" }).ok, true);
  assert.equal(parseServiceLog("json", "{}", { ...context, service: "ftp" }).ok, false);
});
