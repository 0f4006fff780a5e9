import assert from "node:assert/strict";
import type { BaitSurveyUser } from "../../canary/bait_survey.ts";
import { planBaseline } from "../../canary/plan_baseline.ts";

const BASELINE = ["git_config", "env_file", "honeydoc", "aws_creds"];

function user(login: string, uid: number, home = `/home/${login}`): BaitSurveyUser {
  return { login, uid, gid: uid, realName: "", home };
}

const USERS = [
  user("root", 0, "/root"),
  user("daemon", 1, "/usr/sbin"),
  user("nobody", 65534, "/nonexistent"),
  user("ana", 1000),
  user("bo", 1001),
  user("cy", 1002),
];

Deno.test("planBaseline() is the same for the same decky", () => {
  const a = planBaseline("decky-a", { baseline: BASELINE, users: USERS });
  assert.deepEqual(planBaseline("decky-a", { baseline: BASELINE, users: USERS }), a);
  assert.ok(a.length >= 2 && a.length <= 4, `${a.length} of 4`);
  assert.deepEqual(
    a.map((p) => p.generator),
    BASELINE.filter((g) => a.some((p) => p.generator === g)),
    "in baseline order",
  );
});

Deno.test("planBaseline() varies generators and homes between deckies", () => {
  const plans = Array.from(
    { length: 12 },
    (_, i) => planBaseline(`decky-${i}`, { baseline: BASELINE, users: USERS }),
  );
  const shapes = new Set(plans.map((p) => p.map((x) => `${x.generator}@${x.user.login}`).join()));
  assert.ok(shapes.size >= 6, `only ${shapes.size} distinct plans of 12`);
  const sets = new Set(plans.map((p) => p.map((x) => x.generator).join()));
  assert.ok(sets.size >= 3, `only ${sets.size} distinct generator sets of 12`);
  const seeds = new Set(plans.flatMap((p) => p.map((x) => x.shapeSeed)));
  assert.equal(
    seeds.size,
    plans.reduce((n, p) => n + p.length, 0),
    "a seed per decky and generator",
  );
});

Deno.test("planBaseline() places bait only in homes of real regular users who are personas", async (t) => {
  await t.step("system accounts, root and nobody never", () => {
    for (let i = 0; i < 20; i++) {
      for (const p of planBaseline(`d${i}`, { baseline: BASELINE, users: USERS })) {
        assert.ok(["ana", "bo", "cy"].includes(p.user.login), p.user.login);
      }
    }
  });
  await t.step("only the persona logins when given", () => {
    for (let i = 0; i < 20; i++) {
      const plan = planBaseline(`d${i}`, {
        baseline: BASELINE,
        users: USERS,
        personaLogins: ["bo", "zed"],
      });
      assert.ok(plan.length > 0);
      assert.ok(plan.every((p) => p.user.login === "bo"));
    }
  });
  await t.step("nothing when no persona has a home there", () => {
    assert.deepEqual(
      planBaseline("d", { baseline: BASELINE, users: USERS, personaLogins: ["zed"] }),
      [],
    );
    assert.deepEqual(planBaseline("d", { baseline: BASELINE, users: USERS.slice(0, 3) }), []);
  });
});
