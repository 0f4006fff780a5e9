// Each intruder check must be able to fail: here every one is run on a clean
// fixture view (no hit) and on the same view with its tell planted (a hit).
import assert from "node:assert/strict";
import { INTRUDER_CHECKS, type IntruderView, runIntruderChecklist } from "./intruder_checklist.ts";

const NOW = 1_764_580_000; // 2025-12-01T09:06:40Z
const T = (offset: number) => `${NOW + offset}.${String(123456789 + offset).slice(-9)}`;

function clean(decky = "ws-01"): Record<string, string> {
  const home = "/home/ana";
  return {
    decky,
    self: "900",
    clock: String(NOW),
    pid1: "init [2]  \ninit",
    "pid1-cgroup": "0::/",
    dockerenv: "",
    hostname: decky,
    hosts:
      `127.0.0.1\tlocalhost\n127.0.1.1\t${decky}\n10.0.0.21\tdb-01.corp db-01\n\n::1     localhost ip6-localhost ip6-loopback`,
    resolv: "nameserver 10.0.0.53",
    ps: [
      "1 0 init init [2]",
      "40 1 rsyslogd /usr/sbin/rsyslogd",
      "41 1 cron /usr/sbin/cron",
      "42 1 sshd sshd: /usr/sbin/sshd [listener] 0 of 10-100 startups",
      "900 0 bash bash -c x",
      "901 900 ps ps -eo",
    ].join("\n"),
    passwd: "root:x:0:0:root:/root:/bin/bash\nana:x:1000:1000:Ana Lopez,,,:/home/ana:/bin/bash",
    // 10.0.0.0/24 on eth0, default via 10.0.0.1 (little-endian hex as the kernel prints it).
    route: [
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask",
      "eth0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000",
      "eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF",
    ].join("\n"),
    executables: ["sshd", "cron", "rsyslogd", "sendmail", "bash", "sudo"].join("\n"),
    install: "2025-06-01 10:00:00 startup archives unpack",
    "log-stat": [
      `root\tadm\t640\t${T(-60)}\t/var/log/auth.log`,
      `root\tadm\t640\t${T(-60)}\t/var/log/syslog`,
      `root\tadm\t640\t${T(-86_400 * 3)}\t/var/log/syslog.1`,
    ].join("\n"),
    logs: [
      "@@FILE /var/log/auth.log",
      `2025-12-01T09:00:00.000000+00:00 ${decky} sshd[77]: Accepted publickey for ana from 10.0.0.12 port 40000 ssh2`,
      `2025-12-01T09:00:00.000000+00:00 ${decky} sshd[77]: pam_unix(sshd:session): session opened for user ana(uid=1000) by (uid=0)`,
      `2025-12-01T09:05:00.000000+00:00 ${decky} sshd[77]: pam_unix(sshd:session): session closed for user ana`,
      "@@FILE /var/log/syslog",
      `2025-12-01T09:00:00.000000+00:00 ${decky} CRON[99]: (root) CMD (run-parts /etc/cron.hourly)`,
      "@@FILE /var/log/syslog.1",
      `2025-11-28T09:06:00.000000+00:00 ${decky} rsyslogd: [origin software="rsyslogd"] rsyslogd was HUPed`,
    ].join("\n"),
    "home-stat": [
      `ana\t755\t${T(-86_400)}\t4096\td\t${home}`,
      `ana\t644\t${T(-86_400 * 100)}\t220\tf\t${home}/.bashrc`,
      `ana\t600\t${T(-3600)}\t900\tf\t${home}/.bash_history`,
      `ana\t644\t${T(-86_400 * 2)}\t1200\tf\t${home}/notes.txt`,
      `ana\t644\t${T(-86_400 * 3)}\t800\tf\t${home}/todo.md`,
      `ana\t755\t${T(-86_400)}\t4096\td\t${home}/.ssh`,
      `ana\t600\t${T(-86_400)}\t400\tf\t${home}/.ssh/authorized_keys`,
      `ana\t644\t${T(-86_400)}\t400\tf\t${home}/.ssh/known_hosts`,
      // A user who only reads mail over IMAP: dovecot's files, no shell history.
      `bob\t755\t${T(-7200)}\t4096\td\t/home/bob`,
      `bob\t700\t${T(-7200)}\t4096\td\t/home/bob/mail`,
      `bob\t600\t${T(-7200)}\t1284\tf\t/home/bob/mail/.imap/INBOX/dovecot.index.cache`,
      `bob\t600\t${T(-7200)}\t1488\tf\t/home/bob/mail/.imap/INBOX/dovecot.index.log`,
      `bob\t600\t${T(-7200)}\t8\tf\t/home/bob/mail/.imap/dovecot-uidvalidity`,
      `bob\t600\t${T(-7200)}\t452\tf\t/home/bob/mail/.imap/dovecot.list.index.log`,
    ].join("\n"),
    skel: `${home}/.bashrc`,
    "ssh-files": `${home}/.ssh/authorized_keys\t400\n${home}/.ssh/known_hosts\t400`,
    "git-dirs": `${home}/src/app/.git\tHEAD objects refs `,
    "text-files": [
      `@@FILE ${home}/notes.txt`,
      "DB_HOST=db-01.corp",
      "see https://intranet.example.com/wiki",
      `@@FILE ${home}/Documents/report.html`,
      "<p>Numbers are up this quarter across the board.</p><p>Regards,<br>Ana Lopez</p>",
    ].join("\n"),
    last:
      "ana      pts/0        10.0.0.12    Mon Dec  1 09:00:00 2025 - Mon Dec  1 09:05:00 2025  (00:05)",
    "mail-location": "mbox:~/mail:INBOX=/var/mail/%u",
    "mail-stat": `ana\tmail\t660\t${T(-600)}\t/var/mail/ana`,
    "mail-files": [
      "@@FILE /var/mail/ana",
      "From bob@corp.example Mon Dec  1 08:50:00 2025",
      "Return-Path: <bob@corp.example>",
      "Received: from ws-02 by ws-01",
      "From: Bob <bob@corp.example>",
      "Message-ID: <1@corp.example>",
      "",
      "hi",
      "From ana@corp.example Mon Dec  1 08:55:00 2025",
      "Return-Path: <ana@corp.example>",
      "Received: from ws-01 by ws-01",
      "From: Ana <ana@corp.example>",
      "Message-ID: <2@corp.example>",
      "In-Reply-To: <1@corp.example>",
      "",
      "hello",
    ].join("\n"),
  };
}

const view = (v: Record<string, string>) => v as unknown as IntruderView;
const add = (text: string, line: string) => `${text}\n${line}`;

// How to plant each check's tell in the clean view.
const BAD: Record<string, (v: Record<string, string>) => void> = {
  "log-owner-mode": (v) => v["log-stat"] = v["log-stat"].replace("root\tadm\t640", "ana\tana\t644"),
  "log-owned-by-user": (v) =>
    v["log-stat"] = add(v["log-stat"], `ana\tana\t644\t${T(0)}\t/var/log/daemon.log`),
  "auth-uid-mismatch": (v) => v.logs = v.logs.replace("ana(uid=1000)", "ana(uid=1002)"),
  "auth-publickey-without-key": (v) =>
    v["ssh-files"] = v["ssh-files"].replace(/.*authorized_keys.*\n/, ""),
  "auth-peer-off-lan": (v) => v.logs = v.logs.replace("from 10.0.0.12", "from 10.1.8.215"),
  "auth-session-unclosed": (v) => v.logs = v.logs.replace(/.*session closed.*\n/, ""),
  "log-without-daemon": (v) => v.ps = v.ps.replace(/.*rsyslogd.*\n/, "").replace(/.*cron.*\n/, ""),
  "log-program-not-installed": (v) =>
    v.logs = add(v.logs, "Dec  1 09:00:00 ws-01 dhclient[300]: DHCPACK of 10.0.0.11"),
  "rotated-log-mtime": (v) =>
    v["log-stat"] = v["log-stat"].replace(
      `${T(-86_400 * 3)}\t/var/log/syslog.1`,
      `${T(-60)}\t/var/log/syslog.1`,
    ),
  "helper-process": (v) =>
    v.ps = add(v.ps, "500 0 python3 python3 -c import socket; SSH-2.0-OpenSSH_8.4p1"),
  "banner-only-sessions": (v) =>
    v.logs = v.logs.replace(
      "@@FILE /var/log/syslog",
      Array.from(
        { length: 11 },
        (_, i) =>
          `ws-01 sshd[${80 + i}]: Connection closed by 10.0.0.12 port ${4000 + i} [preauth]`,
      ).join("\n") + "\n@@FILE /var/log/syslog",
    ),
  "same-bait-everywhere": () => {}, // planted by comparing two identical views (below)
  "git-incomplete": (v) => v["git-dirs"] = "/home/ana/app/.git\t",
  "callback-not-routable": (v) =>
    v["text-files"] = add(v["text-files"], "API_BASE_URL=http://127.0.0.1:18188/c/x"),
  "unresolvable-host": (v) => v["text-files"] = add(v["text-files"], "DB_HOST=db-4.internal"),
  "files-without-history": (v) => v["home-stat"] = v["home-stat"].replace(/.*\.bash_history\n/, ""),
  "empty-wtmp": (v) =>
    v.last = "reboot   system boot  6.1.0-13-amd64   Mon Dec  1 08:00:00 2025   still running",
  "no-known-hosts": (v) => v["ssh-files"] = v["ssh-files"].replace(/\n.*known_hosts.*/, ""),
  "zero-nanoseconds": (v) => v["home-stat"] = v["home-stat"].replace(/\.\d{9}\t/g, ".0000000000\t"),
  "predates-install": (v) =>
    v["home-stat"] = v["home-stat"].replace(T(-86_400 * 3), T(-86_400 * 400)),
  "home-newer-than-contents": (v) =>
    v["home-stat"] = v["home-stat"].replace(
      `${T(-86_400)}\t4096\td\t/home/ana\n`,
      `${T(0)}\t4096\td\t/home/ana\n`,
    )
      .replace(`${T(-3600)}\t900`, `${T(-86_400 * 2)}\t900`)
      .replaceAll(`${T(-86_400)}\t4`, `${T(-86_400 * 2)}\t4`),
  "mail-outside-store": (v) =>
    v["mail-files"] = v["mail-files"].replace("/var/mail/ana", "/var/spool/mail-archive/ana/1.eml"),
  "mail-without-received": (v) =>
    v["mail-files"] = v["mail-files"].replace("Received: from ws-02 by ws-01\n", ""),
  "mail-crlf": (v) =>
    v["mail-files"] = v["mail-files"].replace(
      "@@FILE /var/mail/ana\n",
      "@@FILE /var/mail/ana\n@@CRLF@@\n",
    ),
  "mail-owner-mode": (v) =>
    v["mail-stat"] = v["mail-stat"].replace("ana\tmail\t660", "root\troot\t644"),
  "mail-without-mta": (v) => v.executables = v.executables.replace("sendmail\n", ""),
  "mail-self-reply": (v) =>
    v["mail-files"] = v["mail-files"].replace("In-Reply-To: <1@", "In-Reply-To: <2@"),
  "doc-signer-not-user": (v) =>
    v["text-files"] = v["text-files"].replace("Regards,<br>Ana Lopez", "Regards,<br>Priya Nair"),
  "doc-repeated-sentence": (v) =>
    v["text-files"] = v["text-files"].replace(
      "<p>Numbers are up this quarter across the board.</p>",
      "<p>Numbers are up this quarter across the board. Numbers are up this quarter across the board.</p>",
    ),
  "pip-cache-npm-names": (v) =>
    v["text-files"] = add(
      v["text-files"],
      "@@FILE /home/ana/.cache/pip/index.txt\nrequests\nlodash\nexpress",
    ),
  dockerenv: (v) => v.dockerenv = ".dockerenv",
  "docker-resolver": (v) => v.resolv = "# Generated by Docker Engine.\nnameserver 127.0.0.11",
  "docker-hosts": (v) => v.hosts = "127.0.0.1\tlocalhost\nfe00::0\tip6-localnet\n10.0.0.11\tws-01",
  "container-hostname": (v) => v.hostname = "3f9a2b7c1d0e",
  "pid1-not-init": (v) => v.pid1 = "/usr/bin/docker-init -- /sbin/init \ndocker-init",
  "pid1-cgroup": (v) => v["pid1-cgroup"] = "12:pids:/docker/3f9a2b7c1d0e",
};

Deno.test("INTRUDER_CHECKS find nothing on a clean fixture", () => {
  const a = clean("ws-01");
  const b = clean("ws-02");
  b["home-stat"] = b["home-stat"].replace("todo.md", "plans.md");
  assert.deepEqual(runIntruderChecklist([view(a), view(b)]), []);
});

Deno.test("INTRUDER_CHECKS each find their tell planted in the fixture", async (t) => {
  assert.deepEqual(Object.keys(BAD).sort(), INTRUDER_CHECKS.map((c) => c.name).sort());
  for (const check of INTRUDER_CHECKS) {
    await t.step(check.name, () => {
      const bad = clean("ws-01");
      BAD[check.name](bad);
      // The other decky differs only for the cross-decky check, which needs twins.
      const other = clean("ws-02");
      if (check.name !== "same-bait-everywhere") {
        other["home-stat"] = other["home-stat"].replace("todo.md", "plans.md");
      }
      const hits = runIntruderChecklist([view(bad), view(other)], [check])
        .filter((h) => h.decky === "ws-01");
      assert.ok(hits.length > 0, `${check.name} found nothing`);
    });
  }
});
