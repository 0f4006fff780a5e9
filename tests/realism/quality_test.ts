// The quality bar of the realism engine, checked over 10,000 seeded plans.
import assert from "node:assert/strict";
import {
  decide,
  type EditCandidate,
  inWorkHours,
  isCanary,
  isUser,
  makeBody,
  mulberry32,
  type Plan,
  resolveTimeZone,
  USER_CLASSES,
} from "../../realism/mod.ts";
import { examplePersonas, makeDeckies } from "./_fixtures.ts";

const PLANS = 10_000;
const START = new Date("2026-03-02T00:00:00Z").getTime();

interface Outcome {
  decision: string;
  plan: Plan | null;
  now: Date;
}

async function run(withCandidates: boolean): Promise<Outcome[]> {
  const personas = await examplePersonas();
  const deckies = makeDeckies(personas, 20, 3);
  const rand = mulberry32(withCandidates ? 2026 : 7);
  const out: Outcome[] = [];
  for (let i = 0; out.length < PLANS; i++) {
    // Every 7 minutes across two weeks, so every zone's hours come round.
    const now = new Date(START + i * 7 * 60_000);
    const d = deckies[i % deckies.length];
    const persona = d.personas[0];
    const candidate: EditCandidate | null = withCandidates
      ? {
        decky_uuid: d.uuid,
        persona: persona.name,
        content_class: "note",
        path: "/home/x/notes.txt",
        previous_body: "notes\n",
      }
      : null;
    const r = decide(deckies, now, { rand, editCandidate: candidate });
    if (r.decision === "idle") continue;
    out.push({ decision: r.decision, plan: r.plan, now });
  }
  return out;
}

Deno.test("decide() meets the quality bar over 10,000 seeded plans", async (t) => {
  const withCandidates = await run(true);
  const withoutCandidates = await run(false);

  await t.step("decision shares within 2 points of 10/30/60 with candidates", () => {
    const share = (k: string): number =>
      100 * withCandidates.filter((o) => o.decision === k).length / PLANS;
    assert.ok(Math.abs(share("skip") - 10) <= 2, `skip ${share("skip")}`);
    assert.ok(Math.abs(share("edit") - 30) <= 2, `edit ${share("edit")}`);
    assert.ok(Math.abs(share("create") - 60) <= 2, `create ${share("create")}`);
  });

  await t.step("canaries are about 3% of creates", () => {
    const creates = withoutCandidates.filter((o) => o.decision === "create");
    const canaries = creates.filter((o) => isCanary(o.plan!.content_class)).length;
    const pct = 100 * canaries / creates.length;
    assert.ok(pct > 2.4 && pct < 3.6, `canary ${pct}%`);
  });

  const plans = [...withCandidates, ...withoutCandidates].filter((o) => o.plan !== null);

  await t.step("every user-class mtime is in the past and in its persona's window", () => {
    for (const { plan, now } of plans) {
      if (!isUser(plan!.content_class)) continue;
      assert.ok(plan!.mtime < now);
      const timeZone = resolveTimeZone(plan!.persona);
      assert.ok(
        inWorkHours(plan!.persona.active_hours, plan!.mtime, { timeZone }),
        `${plan!.mtime.toISOString()} outside ${plan!.persona.active_hours} ${timeZone}`,
      );
    }
  });

  await t.step("no basename has a run of 8 or more digits", () => {
    for (const { plan } of plans) {
      const base = plan!.target_path.split("/").pop()!;
      assert.doesNotMatch(base, /\d{8,}/);
    }
  });

  await t.step("each user class yields at least 50 distinct bodies, without em-dashes", () => {
    const rand = mulberry32(99);
    const bodies = new Map<string, Set<string>>(USER_CLASSES.map((c) => [c, new Set()]));
    for (const { plan } of plans) {
      if (!plan || plan.action !== "create" || !isUser(plan.content_class)) continue;
      const body = makeBody(plan.content_class, {
        persona: plan.persona,
        decky: { name: plan.decky_name },
        rand,
        now: plan.mtime,
        path: plan.target_path,
      });
      if (!plan.persona.uses_llms_heavily) assert.ok(!body.includes("\u2014"));
      bodies.get(plan.content_class)!.add(body);
    }
    for (const [cls, set] of bodies) assert.ok(set.size >= 50, `${cls}: ${set.size}`);
  });

  await t.step("same seed, same plans", async () => {
    const again = await run(true);
    assert.deepEqual(
      again.slice(0, 200).map((o) => o.plan?.target_path ?? o.decision),
      withCandidates.slice(0, 200).map((o) => o.plan?.target_path ?? o.decision),
    );
  });
});
