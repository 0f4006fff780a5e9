import assert from "node:assert/strict";
import { type CanaryCultivator, personasForDecky } from "../../../core/orchestrator/mod.ts";
import { REALISM_SETTINGS_KEY } from "../../../realism/mod.ts";
import { parseSurvey, SurveyCache } from "../../../core/survey/mod.ts";
import { DEFAULT_REALISM_CONFIG } from "../../../realism/mod.ts";
import { makePersona } from "../../realism/_fixtures.ts";
import { FakeDocker } from "./_fake_docker.ts";
import { makeHarness } from "./_harness.ts";

const debian = parseSurvey(
  Deno.readTextFileSync(new URL("../../testdata/survey/debian_bookworm.txt", import.meta.url)),
  "FIXTUREMARKER0001",
);

Deno.test("Orchestrator.tick() cultivates bait only for personas with an account on the decky, in their real home", async () => {
  const asked: { login: string; home?: string }[] = [];
  const cultivate: CanaryCultivator = (_contentClass, ctx) => {
    asked.push({ login: ctx.login, ...(ctx.home ? { home: ctx.home } : {}) });
    return Promise.resolve(null);
  };
  const allDay = { active_hours: "00:00-23:59" };
  // priyanair has an account in the fixture; zednobody has none.
  const personas = [
    makePersona({ name: "Priya Nair", email: "priya.nair@corp.example", ...allDay }),
    makePersona({ name: "Zed Nobody", email: "zed.nobody@corp.example", ...allDay }),
  ];
  await using h = await makeHarness({
    personas,
    surveys: new SurveyCache(new FakeDocker(), { survey: () => Promise.resolve(debian) }),
    cultivate,
  });
  // A decky both personas live on: which personas live where follows the decky's uuid, so with
  // one decky only Zed (or only Priya) lived there in about a third of the runs.
  for (let n = 1;; n++) {
    const uuid = await h.addDecky(`ws-0${n}`, ["ssh"], `192.0.2.${10 + n}`);
    if (personasForDecky(uuid, personas).length === personas.length) break;
  }
  await h.repos.settings.put(REALISM_SETTINGS_KEY, {
    action_weights: { traffic: 0, file: 1, email: 0 },
    canary_probability: 1,
    weights: DEFAULT_REALISM_CONFIG.weights,
  });
  await h.orchestrator.reloadSettings();
  for (let i = 0; i < 60; i++) {
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    await h.orchestrator.tick();
  }
  assert.ok(asked.length > 0, "some canary ticks");
  const home = debian.users.find((u) => u.login === "priyanair")!.home;
  for (const a of asked) assert.deepEqual(a, { login: "priyanair", home });
});
