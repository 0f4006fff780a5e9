import assert from "node:assert/strict";
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import { openDocker } from "../../core/docker/mod.ts";
import { deployFleet, parseFleetSpec, StateFile } from "../../core/fleet/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { canaryCultivator, Orchestrator } from "../../core/orchestrator/mod.ts";
import {
  DEFAULT_REALISM_CONFIG,
  mulberry32,
  parsePersonas,
  REALISM_SETTINGS_KEY,
} from "../../realism/mod.ts";
import { buildDebianImage, debianImageUnavailable } from "../infra/debian_image.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { gatherIntruderView, INTRUDER_CHECKS, runIntruderChecklist } from "./intruder_checklist.ts";

const skip = dockerdUnavailable() ?? debianImageUnavailable();
// Ticks run back to back: at least TICKS, and on until every kind of tick below has happened (at
// most MAX_TICKS), so each check sees what the product writes. Which kinds come is up to the
// planner and the clock (replies fall due, cron and edits need earlier files), so a fixed count
// sometimes missed one.
const TICKS = Number(Deno.env.get("INTRUDER_TICKS") ?? 120);
const MAX_TICKS = TICKS * 4;
/**
 * Kinds of tick ("kind/action") the run must include. Not "file/append": on these deckies the only
 * line a log tick may add is a sudo line in auth.log (the other daemon lines name programs that do
 * not run here), so it comes 0-2 times in 120 ticks; tests/core/orchestrator/survey_logs_test.ts
 * covers it.
 */
const MUST_RUN = [
  "traffic/ssh",
  "file/create",
  "file/edit",
  "file/cron",
  "file/canary",
  "email/send",
];
// Replies (due 5-30 s after a send) come once or twice in 120 ticks, sometimes not at all: when
// they do, the checks see them; requiring one would make the test fail by chance.
const IPS = { "ws-01": "192.0.2.11", "ws-02": "192.0.2.12", "mail-01": "192.0.2.20" };
/** Where an intruder lands on each decky: the container of its first service. */
const SHELLS = { "ws-01": "ws-01-ssh", "ws-02": "ws-02-ssh", "mail-01": "mail-01-imap" };

// Both deckies from the Debian image, deployed as an operator would: no
// init or dns override but the LAN's resolver, everything else the defaults.
const fleetFile = (image: string) => `
[network]
name = lan
subnet = 192.0.2.0/24
gateway = 192.0.2.1
dns = 192.0.2.53

[defaults]
services = ssh
image = ${image}
base_image = ${image}

[decky ws-01]
ip = ${IPS["ws-01"]}

[decky ws-02]
ip = ${IPS["ws-02"]}

[decky mail-01]
services = imap
ip = ${IPS["mail-01"]}
`;

Deno.test({
  name: `Intruder checklist finds no tell on Debian deckies after ${TICKS} ticks${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  async fn() {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    const image = await buildDebianImage(docker);
    const home = await Deno.makeTempDir({ prefix: "intruder-" });
    await using _home = { [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }) };
    const handle = await openMigratedDatabase("sqlite::memory:");
    await using _db = { [Symbol.asyncDispose]: () => handle.close() };
    const repos = createRepositories(handle);
    await using bus = new MemoryBus({ channel: `intruder-${crypto.randomUUID()}` });
    const log = new Logger({ level: "error" });
    const deployed = await deployFleet(parseFleetSpec(fleetFile(image)), {
      hostUuid: "local",
      docker,
      fleet: repos.fleet,
      stateFile: new StateFile(home, "local"),
      bus,
      log,
      now: () => new Date(),
    });
    assert.equal(deployed.error, undefined, JSON.stringify(deployed.results));
    // sysvinit has run the rc scripts once both sshd answer (and rsyslog logged it).
    await waitUntil(async () => {
      for (const [name, ip] of [["ws-01", IPS["ws-02"]], ["ws-02", IPS["ws-01"]]]) {
        const r = await docker.exec(`${name}-ssh`, [
          "bash",
          "-c",
          `exec 3<>/dev/tcp/${ip}/22 && head -c 4 <&3`,
        ]);
        if (r.exitCode !== 0) return false;
      }
      return true;
    }, { what: "sshd of both deckies answering", timeoutMs: 90_000 });

    const pool = parsePersonas(
      JSON.parse(
        await Deno.readTextFile(new URL("../../deploy/personas.example.json", import.meta.url)),
      ),
      // Five of them (fewer pairs, so threads get answers), at work all day and quick to answer,
      // so replies come within the run.
    ).personas.slice(0, 5).map((p) => ({
      ...p,
      active_hours: "00:00-23:59",
      reply_latency: "5s-30s",
    }));
    const orchestrator = new Orchestrator({
      repos,
      docker,
      bus,
      log,
      personaPool: { load: () => Promise.resolve({ personas: pool }) },
      makeLlm: () => null,
      llmByDefault: false,
      random: mulberry32(13),
      // A public callback base, as an operator sets it: every HTTP bait kind gets planted (the
      // loopback default is refused). Nothing here calls it back.
      cultivate: canaryCultivator({
        canaryHttpBase: "https://cdn.meridian-apps.com",
        canaryDnsZone: "",
      }),
    });
    // Settings an operator may choose: fewer SSH sessions (the dearest tick, ~2 s), more bait and
    // log lines, so every kind of file, mail and bait shows up within the ticks.
    await repos.settings.put(REALISM_SETTINGS_KEY, {
      action_weights: { traffic: 25, file: 55, email: 20 },
      canary_probability: 0.3,
      weights: { ...DEFAULT_REALISM_CONFIG.weights, log_cron: 30, log_daemon: 30 },
    });
    await orchestrator.reloadSettings();
    const started = performance.now();
    const failures: string[] = [];
    const kinds = new Map<string, { n: number; ms: number }>();
    const planted: string[] = [];
    const missing = () => MUST_RUN.filter((k) => !kinds.has(k));
    let ticks = 0;
    for (; ticks < TICKS || (missing().length > 0 && ticks < MAX_TICKS); ticks++) {
      const t0 = performance.now();
      const r = await orchestrator.tick();
      if (!r.ok) failures.push(r.detail);
      const bait = / (canary_\w+)/.exec(r.detail)?.[1];
      if (bait) planted.push(bait);
      const key = bait ? "file/canary" : `${r.kind}/${r.action}`;
      const k = kinds.get(key) ?? { n: 0, ms: 0 };
      k.n++;
      k.ms += performance.now() - t0;
      kinds.set(key, k);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${ticks} ticks in ${seconds.toFixed(1)} s:`,
      [...kinds].map(([k, v]) => `${k} ${v.n} x ${(v.ms / v.n).toFixed(0)} ms`).join(", "),
      `; bait: ${planted.join(", ")}`,
    );

    const views = await Promise.all(
      Object.entries(SHELLS).map(([name, container]) =>
        gatherIntruderView(docker, container, name)
      ),
    );
    const hits = runIntruderChecklist(views);
    for (const h of hits) console.log(`hit ${h.decky} ${h.check}: ${h.detail}`);
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} ticks failed`);
    assert.deepEqual(missing(), [], "kinds of tick that never ran");
    assert.deepEqual(hits, [], "tells an intruder finds");
    assert.ok(INTRUDER_CHECKS.length >= 30);
  },
});
