import assert from "node:assert/strict";
import { hostFactsOf, logTarget } from "../../../core/orchestrator/mod.ts";
import { parseSurvey } from "../../../core/survey/mod.ts";
import type { DeckySurvey } from "../../../core/survey/mod.ts";
import { makeLogLines, mulberry32 } from "../../../realism/mod.ts";
import { makePersona } from "../../realism/_fixtures.ts";

const fixture = (name: string): DeckySurvey =>
  parseSurvey(
    Deno.readTextFileSync(new URL(`../../testdata/survey/${name}.txt`, import.meta.url)),
    "FIXTUREMARKER0001",
  );

const without = (survey: DeckySurvey, daemon: string): DeckySurvey => ({
  ...survey,
  daemons: survey.daemons.map((d) => d.name === daemon ? { ...d, pids: [] } : d),
});

Deno.test("logTarget() grows only live logs of running daemons, keeping owner and mode", async (t) => {
  const debian = fixture("debian_bookworm");
  const plan = (contentClass: "log_cron" | "log_daemon", path: string, login = "priyanair") => ({
    contentClass,
    path,
    login,
  });

  await t.step("the planned file when it exists, as the survey found it", () => {
    const target = logTarget(debian, plan("log_daemon", "/var/log/auth.log"));
    assert.ok("file" in target);
    assert.equal(target.file.path, "/var/log/auth.log");
    assert.equal(target.stampFormat, "rfc3339", "as the file's last line");
    assert.deepEqual([target.file.owner, target.file.group, target.file.mode], [
      "root",
      "adm",
      0o640,
    ]);
  });
  await t.step("a missing or rotated file is never created: the live syslog instead", () => {
    for (const path of ["/var/log/daemon.log", "/var/log/daemon.log.1", "/var/log/cron.log.2.gz"]) {
      const cls = path.includes("cron") ? "log_cron" : "log_daemon";
      const target = logTarget(debian, plan(cls, path));
      assert.ok("file" in target, path);
      assert.equal(target.file.path, "/var/log/syslog", path);
    }
  });
  await t.step("nothing while the daemon that would write it is not running", () => {
    assert.deepEqual(logTarget(without(debian, "syslog"), plan("log_daemon", "/var/log/syslog")), {
      skip: "no syslog daemon runs",
    });
    assert.deepEqual(logTarget(without(debian, "cron"), plan("log_cron", "/var/log/cron.log")), {
      skip: "cron does not run",
    });
    const noSshd = logTarget(without(debian, "sshd"), plan("log_daemon", "/var/log/auth.log"));
    assert.ok("file" in noSshd && noSshd.file.path === "/var/log/syslog", "auth.log needs sshd");
  });
  await t.step("nothing while no live log shows how lines are stamped", () => {
    const unknown = {
      ...debian,
      logFiles: debian.logFiles.map((f) => ({ ...f, lastLine: null, stampFormat: null })),
    };
    assert.deepEqual(logTarget(unknown, plan("log_daemon", "/var/log/auth.log")), {
      skip: "log timestamp format unknown",
    });
  });
  await t.step("nothing for a persona without an account", () => {
    assert.deepEqual(logTarget(debian, plan("log_daemon", "/var/log/syslog", "ghost")), {
      skip: "no account for ghost",
    });
  });
  await t.step("nothing on a sparse decky", () => {
    assert.deepEqual(logTarget(fixture("busybox"), plan("log_cron", "/var/log/cron.log", "user")), {
      skip: "no syslog daemon runs",
    });
  });
});

Deno.test("hostFactsOf() gives realism the decky's uids, running programs and peers", () => {
  const facts = hostFactsOf(fixture("debian_bookworm"));
  assert.equal(facts.uids["priyanair"], 1002);
  assert.equal(facts.uids["root"], 0);
  assert.deepEqual([...facts.running].sort(), ["cron", "dovecot", "sshd", "sudo", "syslog"]);
  assert.deepEqual(facts.peers, ["192.168.50.12", "192.168.50.20"]);
  assert.deepEqual(hostFactsOf(fixture("busybox")).running, new Set());
});

Deno.test("makeLogLines() with a decky's facts forges no sshd or cron session and names running programs only", () => {
  const facts = hostFactsOf(fixture("debian_bookworm"));
  const persona = makePersona({ name: "Priya Nair", email: "priya.nair@corp.example" });
  const now = new Date("2026-12-01T09:00:00Z");
  const lines = (cls: "log_cron" | "log_daemon", path: string, seed: number) =>
    makeLogLines(cls, {
      persona,
      decky: { name: "ws-01", timezone: "UTC" },
      rand: mulberry32(seed),
      now,
      since: new Date(now.getTime() - 3_600_000),
      count: 40,
      path,
      facts,
    });
  const auth = Array.from({ length: 20 }, (_, i) => lines("log_daemon", "/var/log/auth.log", i))
    .join("");
  assert.match(auth, /sudo: {3}priyanair : /);
  assert.doesNotMatch(auth, /uid=1000\)/);
  assert.doesNotMatch(auth, /systemd-logind/, "no systemd on the decky");
  // sshd and cron log their own sessions (real ones): nothing forged for them.
  assert.doesNotMatch(auth, /sshd|Accepted publickey|session (opened|closed)|CRON/);
  assert.equal(
    lines("log_daemon", "/var/log/syslog", 7),
    "",
    "nothing a surveyed Debian container would write to syslog itself (no systemd, dhclient, smartd, ntpd)",
  );
  assert.equal(lines("log_cron", "/var/log/cron.log", 3), "", "no job that no crontab backs");
  const rfc = makeLogLines("log_daemon", {
    persona,
    decky: { name: "ws-01", timezone: "Europe/Madrid" },
    rand: mulberry32(2),
    now,
    since: new Date(now.getTime() - 60_000),
    count: 3,
    path: "/var/log/auth.log",
    facts,
    stampFormat: "rfc3339",
  });
  for (const line of rfc.trimEnd().split("\n")) {
    // The newest line sits at the end of the span (the append's own time).
    assert.match(
      line,
      /^2026-12-01T(09:59:\d\d|10:00:00)\.\d{6}\+01:00 ws-01 /,
      "local time of the zone",
    );
  }
  const noCron = makeLogLines("log_cron", {
    persona,
    decky: { name: "ws-01" },
    rand: mulberry32(1),
    now,
    since: new Date(now.getTime() - 3_600_000),
    count: 10,
    facts: { ...facts, running: new Set(["syslog"]) },
  });
  assert.equal(noCron, "", "no cron lines where cron does not run");
});
