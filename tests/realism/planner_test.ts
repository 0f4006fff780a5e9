import assert from "node:assert/strict";
import { buildPlan, decide, type EditCandidate, mulberry32, pick } from "../../realism/mod.ts";
import { makeDeckies, makePersona } from "./_fixtures.ts";

const NOON = new Date("2026-03-04T12:00:00Z");

Deno.test("decide() is idle when no persona is inside its hours", () => {
  const deckies = makeDeckies([makePersona({ active_hours: "01:00-02:00" })], 3);
  const d = decide(deckies, NOON, { rand: mulberry32(1) });
  assert.equal(d.decision, "idle");
  assert.equal(d.plan, null);
  assert.equal(pick([], NOON, { rand: mulberry32(1) }), null);
});

Deno.test("decide() only plans for personas inside their hours", () => {
  const awake = makePersona({ name: "Day", active_hours: "09:00-17:00" });
  const asleep = makePersona({
    name: "Night",
    email: "n@example.com",
    active_hours: "22:00-06:00",
  });
  const deckies = makeDeckies([awake, asleep], 10, 2);
  const rand = mulberry32(2);
  for (let i = 0; i < 500; i++) {
    const plan = pick(deckies, NOON, { rand });
    if (plan) assert.equal(plan.persona.name, "Day");
  }
});

Deno.test("decide() edits the candidate and keeps its previous body", () => {
  const persona = makePersona();
  const deckies = makeDeckies([persona], 2, 1);
  const candidate: EditCandidate = {
    decky_uuid: deckies[1].uuid,
    persona: persona.name,
    content_class: "todo",
    path: "/home/analopez/TODO.md",
    previous_body: "# TODO\n\n- [ ] a\n",
    last_modified: new Date("2026-03-03T10:00:00Z"),
  };
  const rand = mulberry32(3);
  let edits = 0;
  for (let i = 0; i < 300; i++) {
    const d = decide(deckies, NOON, { rand, editCandidate: candidate });
    if (d.decision !== "edit") continue;
    edits++;
    assert.equal(d.plan?.action, "edit");
    assert.equal(d.plan?.target_path, candidate.path);
    assert.equal(d.plan?.previous_body, candidate.previous_body);
    assert.equal(d.plan?.decky_name, deckies[1].name);
    assert.ok(d.plan!.mtime > candidate.last_modified!);
    assert.ok(d.plan!.mtime < NOON);
  }
  assert.ok(edits > 50);
});

Deno.test("decide() skips edit candidates of classes never edited", async (t) => {
  const persona = makePersona();
  const deckies = makeDeckies([persona], 1, 1);
  for (const cls of ["canary_aws_creds", "cache_tmp", "email"]) {
    await t.step(cls, () => {
      const rand = mulberry32(4);
      const candidate: EditCandidate = {
        decky_uuid: deckies[0].uuid,
        persona: persona.name,
        content_class: cls,
        path: "/tmp/x",
        previous_body: "x",
      };
      for (let i = 0; i < 200; i++) {
        const d = decide(deckies, NOON, { rand, editCandidate: candidate });
        assert.notEqual(d.decision, "edit");
      }
    });
  }
});

Deno.test("decide() edits a file written minutes ago, after that write", () => {
  const persona = makePersona({ active_hours: "00:00-23:59" });
  const deckies = makeDeckies([persona], 1, 1);
  const candidate: EditCandidate = {
    decky_uuid: deckies[0].uuid,
    persona: persona.name,
    content_class: "todo",
    path: "/home/analopez/TODO.md",
    previous_body: "# TODO\n",
    last_modified: new Date(NOON.getTime() - 10 * 60_000),
  };
  const rand = mulberry32(4);
  let edits = 0;
  for (let i = 0; i < 200; i++) {
    const d = decide(deckies, NOON, { rand, editCandidate: candidate });
    if (d.decision !== "edit") continue;
    edits++;
    assert.ok(d.plan!.mtime > candidate.last_modified! && d.plan!.mtime < NOON);
  }
  // 30% of the decisions are edits: most must find a time in the ten minutes since.
  assert.ok(edits > 40, `${edits} edits`);
});

Deno.test("decide() never creates canaries when canary_probability is 0", () => {
  const deckies = makeDeckies([makePersona()], 5);
  const rand = mulberry32(5);
  const config = {
    weights: {
      note: 1,
      todo: 0,
      draft: 0,
      script: 0,
      log_cron: 1,
      log_daemon: 0,
      cache_tmp: 0,
      canary_aws_creds: 1,
      canary_env_file: 1,
      canary_git_config: 1,
      canary_ssh_key: 1,
      canary_honeydoc: 1,
      canary_honeydoc_docx: 1,
      canary_honeydoc_pdf: 1,
      canary_mysql_dump: 1,
    },
    canary_probability: 0,
  };
  for (let i = 0; i < 1000; i++) {
    const plan = pick(deckies, NOON, { rand, config });
    if (plan) assert.ok(["note", "log_cron"].includes(plan.content_class), plan.content_class);
  }
});

Deno.test("buildPlan() rejects an edit without previous_body", () => {
  assert.throws(
    () =>
      buildPlan({
        decky_uuid: "u",
        decky_name: "ws-01",
        persona: makePersona(),
        content_class: "note",
        action: "edit",
        target_path: "/home/a/notes.txt",
        mtime: NOON,
        notes: "",
      }),
    /Cannot build plan: an edit needs previous_body/,
  );
});

Deno.test("buildPlan() returns a frozen plan", () => {
  const plan = buildPlan({
    decky_uuid: "u",
    decky_name: "ws-01",
    persona: makePersona(),
    content_class: "note",
    action: "create",
    target_path: "/home/a/notes.txt",
    mtime: NOON,
    notes: "",
  });
  assert.ok(Object.isFrozen(plan));
});
