import assert from "node:assert/strict";
import {
  auditTopic,
  campaignTopic,
  canaryTopic,
  controlTopic,
  deckyStateTopic,
  decodeTopicToken,
  encodeTopicToken,
  healthTopic,
  identityTopic,
  orchestratorTopic,
  parseTopic,
  TOPIC_PATTERNS,
} from "../../../core/bus/mod.ts";
import type {
  CampaignEvent,
  CanaryEvent,
  IdentityEvent,
  OrchestratorKind,
} from "../../../core/bus/mod.ts";
import {
  patternProblem,
  patternsOverlap,
  topicMatches,
  topicProblem,
} from "../../../core/bus/_topic_syntax.ts";

Deno.test("encodeTopicToken() escapes dots, wildcards, colons and non-ASCII", async (t) => {
  const cases: [string, string][] = [
    ["web-01", "web-01"],
    ["host.a", "host%2Ea"],
    ["a*b>c", "a%2Ab%3Ec"],
    ["x:y", "x%3Ay"],
    ["two words", "two%20words"],
    ["café", "caf%C3%A9"],
    ["100%", "100%25"],
  ];
  for (const [raw, token] of cases) {
    await t.step(raw, () => {
      assert.equal(encodeTopicToken(raw), token);
      assert.equal(decodeTopicToken(token), raw);
      assert.equal(topicProblem(`t.${token}.x`), undefined);
    });
  }
  assert.throws(() => encodeTopicToken(""), TypeError);
  assert.throws(() => decodeTopicToken("%E0%A4%A"), SyntaxError);
});

Deno.test("topic builders produce the documented families", () => {
  assert.equal(healthTopic("api"), "system.api.health");
  assert.equal(controlTopic("canary"), "system.canary.control");
  assert.equal(canaryTopic("8f14e45f", "triggered"), "canary.8f14e45f.triggered");
  assert.equal(orchestratorTopic("email", "mail.corp"), "orchestrator.email.mail%2Ecorp");
  assert.equal(deckyStateTopic("host.a", "web:01"), "decky.host%2Ea:web%3A01.state");
  assert.throws(() => canaryTopic("x", "exploded" as CanaryEvent), TypeError);
  assert.throws(() => orchestratorTopic("dns" as OrchestratorKind, "x"), TypeError);
});

Deno.test("parseTopic() reverses every builder", () => {
  assert.deepEqual(parseTopic(healthTopic("api")), { family: "health", worker: "api" });
  assert.deepEqual(parseTopic(controlTopic("reconciler")), {
    family: "control",
    worker: "reconciler",
  });
  assert.deepEqual(parseTopic(canaryTopic("a.b", "revoked")), {
    family: "canary",
    token: "a.b",
    event: "revoked",
  });
  assert.deepEqual(parseTopic(orchestratorTopic("file", "db 1")), {
    family: "orchestrator",
    kind: "file",
    decky: "db 1",
  });
  assert.deepEqual(parseTopic(deckyStateTopic("h.1", "n:2")), {
    family: "decky_state",
    host: "h.1",
    name: "n:2",
  });
  for (const other of ["a.b", "canary.x.exploded", "decky.nocolon.state", "system.%ZZ.health"]) {
    assert.equal(parseTopic(other), undefined, other);
  }
});

Deno.test("TOPIC_PATTERNS match the topics their builders make", () => {
  assert.ok(topicMatches(TOPIC_PATTERNS.health, healthTopic("api")));
  assert.ok(topicMatches(TOPIC_PATTERNS.control, controlTopic("api")));
  assert.ok(topicMatches(TOPIC_PATTERNS.canaryTriggered, canaryTopic("t", "triggered")));
  assert.ok(!topicMatches(TOPIC_PATTERNS.canaryTriggered, canaryTopic("t", "placed")));
  assert.ok(topicMatches(TOPIC_PATTERNS.canary, canaryTopic("t", "placed")));
  assert.ok(topicMatches(TOPIC_PATTERNS.orchestrator, orchestratorTopic("traffic", "d")));
  assert.ok(topicMatches(TOPIC_PATTERNS.deckyState, deckyStateTopic("h.x", "n.y")));
  assert.ok(topicMatches(TOPIC_PATTERNS.everything, "a"));
  for (const pattern of Object.values(TOPIC_PATTERNS)) {
    assert.equal(patternProblem(pattern), undefined, pattern);
  }
});

Deno.test("topicMatches() follows NATS wildcard rules", async (t) => {
  const rows: [string, string, boolean][] = [
    ["a.b", "a.b", true],
    ["a.b", "a.b.c", false],
    ["a.*", "a.b", true],
    ["a.*", "a", false],
    ["a.*", "a.b.c", false],
    ["*.b", "a.b", true],
    ["a.>", "a", false],
    ["a.>", "a.b", true],
    ["a.>", "a.b.c.d", true],
    [">", "a", true],
    ["*.*.c", "a.b.c", true],
  ];
  for (const [pattern, topic, expected] of rows) {
    await t.step(`${pattern} ~ ${topic}`, () => {
      assert.equal(topicMatches(pattern, topic), expected);
    });
  }
});

Deno.test("patternsOverlap() tells whether some topic matches both patterns", () => {
  const cases: [string, string, boolean][] = [
    ["canary.>", "canary.*.triggered", true],
    ["*.*.triggered", "canary.>", true],
    [">", "system.*.health", true],
    ["canary.t1.triggered", "canary.*.triggered", true],
    ["decky.>", "canary.>", false],
    ["system.*.control", "system.*.health", false],
    ["canary", "canary.>", false],
    ["canary.*", "canary.*.triggered", false],
    ["a.b.>", "a.b", false],
    ["a.*.>", "a.x.y.z", true],
  ];
  for (const [a, b, want] of cases) {
    assert.equal(patternsOverlap(a, b), want, `${a} ~ ${b}`);
    assert.equal(patternsOverlap(b, a), want, `${b} ~ ${a}`);
  }
});

Deno.test("auditTopic() builds audit.<action> for known actions only, and parseTopic() reads it", () => {
  assert.equal(auditTopic("user.added"), "audit.user.added");
  assert.throws(() => auditTopic("user.hacked" as "user.added"), TypeError);
  assert.deepEqual(parseTopic("audit.api_key.revoked"), {
    family: "audit",
    action: "api_key.revoked",
  });
  assert.equal(parseTopic("audit.user.hacked"), undefined);
  assert.ok(topicMatches(TOPIC_PATTERNS.audit, auditTopic("fleet.deployed")));
});

Deno.test("identity and campaign topics build, parse and match their patterns", () => {
  assert.equal(identityTopic(3, "campaign_assigned"), "identity.3.campaign_assigned");
  assert.equal(campaignTopic("c.1", "merged"), "campaign.c%2E1.merged");
  assert.throws(() => identityTopic(3, "gone" as IdentityEvent), TypeError);
  assert.throws(() => campaignTopic("c1", "split" as CampaignEvent), TypeError);
  assert.deepEqual(parseTopic(identityTopic(3, "formed")), {
    family: "identity",
    id: 3,
    event: "formed",
  });
  assert.deepEqual(parseTopic(campaignTopic("c.1", "unmerged")), {
    family: "campaign",
    id: "c.1",
    event: "unmerged",
  });
  assert.equal(parseTopic("identity.x.formed"), undefined);
  assert.equal(parseTopic("campaign.c1.split"), undefined);
  assert.ok(topicMatches(TOPIC_PATTERNS.identity, identityTopic(3, "formed")));
  assert.ok(topicMatches(TOPIC_PATTERNS.campaign, campaignTopic("c1", "formed")));
});
