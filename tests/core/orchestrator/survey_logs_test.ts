import assert from "node:assert/strict";
import { parseSurvey, SurveyCache } from "../../../core/survey/mod.ts";
import { DEFAULT_REALISM_CONFIG, REALISM_SETTINGS_KEY } from "../../../realism/mod.ts";
import { makePersona } from "../../realism/_fixtures.ts";
import { FakeDocker } from "./_fake_docker.ts";
import { makeHarness } from "./_harness.ts";

const survey = (name: string) =>
  parseSurvey(
    Deno.readTextFileSync(new URL(`../../testdata/survey/${name}.txt`, import.meta.url)),
    "FIXTUREMARKER0001",
  );
const text = (b: Uint8Array | null) => new TextDecoder().decode(b ?? new Uint8Array());

/** Runs file ticks that favour logs on one decky surveyed as `fixture`; returns the execs. */
async function logTicks(fixture: string) {
  await using h = await makeHarness({
    // priya.nair -> login priyanair, uid 1002 on the Debian fixture (not 1000).
    personas: [
      makePersona({
        name: "Priya Nair",
        email: "priya.nair@corp.example",
        active_hours: "00:00-23:59",
      }),
    ],
    surveys: new SurveyCache(new FakeDocker(), { survey: () => Promise.resolve(survey(fixture)) }),
  });
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  await h.repos.settings.put(REALISM_SETTINGS_KEY, {
    action_weights: { traffic: 0, file: 1, email: 0 },
    canary_probability: 0,
    weights: { ...DEFAULT_REALISM_CONFIG.weights, log_cron: 50, log_daemon: 50, cache_tmp: 0 },
  });
  await h.orchestrator.reloadSettings();
  for (let i = 0; i < 150; i++) {
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    await h.orchestrator.tick();
  }
  return h.docker.execs.map((e) => ({ script: e.argv[2], path: e.argv[4], stdin: text(e.stdin) }));
}

Deno.test("file ticks append to a surveyed decky's live logs, forge no session and never plant logs", async () => {
  const execs = await logTicks("debian_bookworm");
  const appends = execs.filter((e) => e.script.includes('cat >> "$1"'));
  assert.ok(appends.length > 0, "some log ticks appended");
  // syslog would only get cron lines, which the real cron writes itself.
  assert.deepEqual(new Set(appends.map((e) => e.path)), new Set(["/var/log/auth.log"]));
  const planted = execs.filter((e) => !e.script.includes('cat >> "$1"'));
  assert.ok(planted.every((e) => !e.path.startsWith("/var/log")), "no log replaced or created");
  const all = appends.map((e) => e.stdin).join("");
  assert.match(all, /sudo: {3}priyanair : /);
  // The real sshd and cron log real sessions and jobs: none is forged.
  assert.doesNotMatch(all, /sshd|CRON|session opened|Accepted/);
  assert.doesNotMatch(all, /systemd|dhclient|smartd|ntpd/);
  // Stamped like the decky's own rsyslog lines (RFC 3339, its zone Etc/UTC).
  for (const line of all.trimEnd().split("\n")) {
    assert.match(line, /^2026-11-18T\d\d:\d\d:\d\d\.\d{6}\+00:00 ws-01 /);
  }
});

Deno.test("file ticks write no log on a surveyed decky that runs no syslog daemon", async () => {
  const execs = await logTicks("busybox");
  assert.ok(execs.every((e) => !e.path.startsWith("/var/log")));
  assert.ok(execs.every((e) => !e.path.startsWith("/home/priyanair")), "no home without its login");
});

Deno.test("a failed append drops the decky's survey so the next log tick surveys again", async () => {
  class FailingAppends extends FakeDocker {
    override async exec(...args: Parameters<FakeDocker["exec"]>) {
      const r = await super.exec(...args);
      return args[1][2]?.includes('cat >> "$1"') ? { ...r, exitCode: 3 } : r;
    }
  }
  let surveys = 0;
  await using h = await makeHarness({
    personas: [
      makePersona({
        name: "Priya Nair",
        email: "priya.nair@corp.example",
        active_hours: "00:00-23:59",
      }),
    ],
    docker: new FailingAppends(),
    surveys: new SurveyCache(new FakeDocker(), {
      survey: () => {
        surveys++;
        return Promise.resolve(survey("debian_bookworm"));
      },
    }),
  });
  await h.addDecky("ws-01", ["ssh"], "192.0.2.11");
  await h.repos.settings.put(REALISM_SETTINGS_KEY, {
    action_weights: { traffic: 0, file: 1, email: 0 },
    canary_probability: 0,
    weights: { ...DEFAULT_REALISM_CONFIG.weights, log_cron: 50, log_daemon: 50, cache_tmp: 0 },
  });
  await h.orchestrator.reloadSettings();
  let failed = 0;
  // One second apart: the survey never ages out in this test.
  for (let i = 0; i < 100; i++) {
    h.clock.now = new Date(h.clock.now.getTime() + 1000);
    const r = await h.orchestrator.tick();
    if (r.action === "append" && !r.ok) failed++;
  }
  assert.ok(failed >= 2, `failed appends: ${failed}`);
  assert.ok(surveys > 1 && surveys <= failed + 1, `surveys ${surveys}, failed appends ${failed}`);
});
