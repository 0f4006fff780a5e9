import assert from "node:assert/strict";
import {
  isDaemonRunning,
  parseSurvey,
  surveyLogFile,
  surveyUser,
} from "../../../core/survey/mod.ts";

// Captured from the real Debian test image (tests/infra/debian_image.ts) and
// the busybox test image, surveyed with the marker below.
const MARKER = "FIXTUREMARKER0001";
const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../../testdata/survey/${name}.txt`, import.meta.url));

Deno.test("parseSurvey() reads a real Debian decky", async (t) => {
  const survey = parseSurvey(fixture("debian_bookworm"), MARKER);

  await t.step("OS, install date, host name and zone", () => {
    assert.equal(survey.os.id, "debian");
    assert.equal(survey.os.versionCodename, "bookworm");
    assert.equal(survey.os.debianVersion, "12.15");
    assert.equal(survey.installedAt?.toISOString(), "2026-12-01T09:02:11.000Z");
    assert.equal(survey.hostname, "ws-01");
    assert.equal(survey.timeZone, "Etc/UTC");
    assert.equal(survey.clock?.toISOString(), "2026-12-01T09:12:36.000Z");
  });

  await t.step("users with their real uids, groups and homes", () => {
    assert.deepEqual(surveyUser(survey, "priyanair"), {
      login: "priyanair",
      uid: 1002,
      gid: 1002,
      group: "priyanair",
      realName: "Priya Nair",
      home: "/home/priyanair",
      shell: "/bin/bash",
    });
    assert.equal(surveyUser(survey, "root")?.uid, 0);
    assert.equal(surveyUser(survey, "nobody-here"), undefined);
    assert.deepEqual(survey.groups.find((g) => g.name === "adm")?.members, ["analopez"]);
  });

  await t.step("running daemons with package versions; the survey's own shell left out", () => {
    for (const name of ["sshd", "cron", "syslog", "dovecot"]) {
      assert.ok(isDaemonRunning(survey, name), name);
    }
    assert.equal(isDaemonRunning(survey, "systemd"), false);
    assert.equal(isDaemonRunning(survey, "mta"), false);
    const sshd = survey.daemons.find((d) => d.name === "sshd")!;
    assert.equal(sshd.packageVersion, "1:9.2p1-2+deb12u10");
    assert.equal(survey.sshVersion, "OpenSSH_9.2p1 Debian-2+deb12u10");
    assert.equal(survey.packages["rsyslog"], "8.2302.0-1+deb12u1");
    const pid1 = survey.processes.find((p) => p.pid === 1)!;
    assert.deepEqual(pid1, { pid: 1, ppid: 0, comm: "init", cmdline: "/bin/sh /sbin/init" });
    assert.equal(
      survey.processes.find((p) => p.comm === "sshd")?.cmdline,
      "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
    );
    assert.ok(survey.processes.every((p) => p.comm !== "sh" && p.comm !== "head"));
  });

  await t.step("syslog layout with owners, modes and the timestamp format of live logs", () => {
    const auth = surveyLogFile(survey, "/var/log/auth.log")!;
    assert.equal(auth.stampFormat, "rfc3339", "rsyslog's default on Debian 12");
    assert.match(auth.lastLine!, /ws-01 sshd\[\d+\]: /);
    assert.equal(
      surveyLogFile(survey, "/var/log/dpkg.log")?.lastLine,
      null,
      "only live logs are tailed",
    );
    assert.equal(`${auth.owner}:${auth.group}`, "root:adm");
    assert.equal(auth.mode, 0o640);
    assert.equal(surveyLogFile(survey, "/var/log/syslog")?.mode, 0o640);
    assert.equal(surveyLogFile(survey, "/var/log/cron.log"), undefined);
    assert.equal(surveyLogFile(survey, "/var/log/daemon.log"), undefined);
    assert.equal(surveyLogFile(survey, "/var/log/btmp")?.group, "utmp");
    assert.equal(surveyLogFile(survey, "/var/log/apt"), undefined, "a directory is not a log file");
  });

  await t.step("mail location, addresses, peers, resolver, container tells", () => {
    assert.equal(survey.mailLocation, "mbox:~/mail:INBOX=/var/mail/%u");
    assert.deepEqual(survey.mailDirs.map((d) => [d.path, d.group, d.mode]), [
      ["/var/mail", "mail", 0o2775],
    ]);
    assert.deepEqual(survey.addresses, ["192.168.50.11"]);
    assert.equal(survey.gateway, "192.168.50.1");
    assert.deepEqual(survey.routes.map((r) => r.destination), ["0.0.0.0/0", "192.168.50.0/24"]);
    assert.deepEqual(survey.peers.map((p) => p.ip), ["192.168.50.12", "192.168.50.20"]);
    assert.equal(survey.dockerenv, true);
    assert.deepEqual(survey.resolver.nameservers, ["127.0.0.11"]);
  });
});

Deno.test("parseSurvey() reports a sparse busybox decky as running no daemon", () => {
  const survey = parseSurvey(fixture("busybox"), MARKER);
  assert.equal(survey.os.id, null);
  assert.equal(survey.installedAt, null);
  assert.deepEqual(survey.users.map((u) => `${u.login}:${u.uid}`), ["root:0", "user:1000"]);
  assert.ok(survey.daemons.every((d) => d.pids.length === 0));
  assert.deepEqual(survey.processes.map((p) => p.comm), ["sleep"]);
  assert.deepEqual(survey.logFiles, []);
  assert.equal(survey.sshVersion, null);
  assert.equal(survey.mailLocation, null);
  assert.deepEqual(survey.addresses, ["192.168.50.20"]);
  assert.deepEqual(survey.peers.map((p) => p.ip), ["192.168.50.11"], "it talked to ws-01");
});

Deno.test("parseSurvey() ignores what a decky's files forge", () => {
  const output = [
    `${MARKER} passwd`,
    `eve:x:0:0::/root:/bin/sh`,
    // A forged section start without the run's marker is just a line.
    `@@ processes`,
    `bad:x:notanumber:1::/:/bin/sh`,
    `short:x:1`,
    `${MARKER} processes`,
    `1 (we) ird) name) S 0 1 1\tinit`,
    `2 (cron) S 1 2 2\t/usr/sbin/cron -f`,
    `garbage line`,
    `${MARKER} self`,
    `99`,
    `${MARKER} passwd`,
    `mallory:x:0:0::/root:/bin/sh`,
    `${MARKER} logs`,
    `640\troot\tadm\t0\t4\t10\t1796114836\tregular file\trelative/path`,
    `999\troot\tadm\t0\t4\t10\t1796114836\tregular file\t/var/log/bad-mode`,
    `640\troot\tadm\t0\t4\t10\t1796114836\tregular file\t/var/log/tab\there`,
    `${MARKER} arp`,
    `192.0.2.9 0x1 0x0 00:00:00:00:00:00 * eth0`,
    `192.0.2.8 0x1 0x2 02:42:c0:00:02:08 * eth0`,
  ].join("\n");
  const survey = parseSurvey(output, MARKER);
  assert.deepEqual(survey.users.map((u) => u.login), ["eve"], "a repeated section is ignored");
  assert.deepEqual(survey.processes.map((p) => [p.pid, p.comm]), [[1, "we) ird) name"], [
    2,
    "cron",
  ]]);
  assert.ok(isDaemonRunning(survey, "cron"));
  assert.deepEqual(survey.logFiles.map((f) => f.path), ["/var/log/tab\there"]);
  assert.deepEqual(survey.peers.map((p) => p.ip), ["192.0.2.8"], "incomplete entries are no peers");
  assert.equal(survey.clock, null);
});

Deno.test("parseSurvey() refuses a marker that could collide with file contents", () => {
  assert.throws(() => parseSurvey("", "@@"), RangeError);
  assert.throws(() => parseSurvey("", "has space in it"), /marker must be 8-64 plain characters/);
});
