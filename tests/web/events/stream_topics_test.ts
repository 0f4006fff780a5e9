import assert from "node:assert/strict";
import { parseStreamTopics, sourceOfTopic } from "../../../web/events/stream_topics.ts";
import { HttpError } from "../../../web/mod.ts";

Deno.test("parseStreamTopics() subscribes once per family and follows the tables the patterns cover", () => {
  const triggers = parseStreamTopics(["canary.*.triggered", "decky.>"]);
  assert.deepEqual(triggers.subscriptions, ["canary.>", "decky.>"]);
  assert.deepEqual([...triggers.sources], ["trigger"]);
  assert.ok(triggers.matches("canary.t1.triggered"));
  assert.ok(!triggers.matches("canary.t1.placed"));

  const orchestrator = parseStreamTopics(["orchestrator.>", "orchestrator.email.*"]);
  assert.deepEqual(orchestrator.subscriptions, ["orchestrator.>"]);
  assert.deepEqual([...orchestrator.sources], ["event", "email"]);

  const all = parseStreamTopics([]);
  assert.deepEqual(all.subscriptions, [">"]);
  assert.deepEqual([...all.sources], ["trigger", "event", "email", "service"]);
  assert.ok(all.matches("system.api.health"));
  // Streamable topics only, whatever the pattern.
  assert.ok(!all.matches("system.api.control"));
  assert.ok(!parseStreamTopics(["*.*.*"]).matches("system.api.control"));
});

Deno.test("parseStreamTopics() refuses what matches nothing streamable, naming query.topic", () => {
  for (const bad of ["system.*.control", "canary", "canary.*", "secrets.>", "a..b", "x.>.y"]) {
    assert.throws(() => parseStreamTopics([bad]), (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.status, 400);
      assert.equal(e.field, "query.topic");
      assert.match(e.message, new RegExp(bad.replace(/[.*>]/g, "\\$&")));
      return true;
    });
  }
  assert.throws(() => parseStreamTopics(Array(17).fill("decky.>")), /at most 16/);
});

Deno.test("sourceOfTopic() names the table behind a topic, null for live-only ones", () => {
  assert.equal(sourceOfTopic("canary.t1.triggered"), "trigger");
  assert.equal(sourceOfTopic("orchestrator.file.ws-01"), "event");
  assert.equal(sourceOfTopic("orchestrator.email.mail-01"), "email");
  assert.equal(sourceOfTopic("canary.t1.placed"), null);
  assert.equal(sourceOfTopic("system.api.health"), null);
});
