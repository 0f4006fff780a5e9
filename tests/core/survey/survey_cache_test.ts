import assert from "node:assert/strict";
import { parseSurvey, SurveyCache } from "../../../core/survey/mod.ts";
import type { DeckySurvey } from "../../../core/survey/mod.ts";
import { FakeDocker } from "../orchestrator/_fake_docker.ts";

const SURVEY: DeckySurvey = parseSurvey("", "FIXTUREMARKER0001");

Deno.test("SurveyCache.get() surveys once per key until the survey is older than maxAgeMs", async () => {
  const clock = { now: 0 };
  const calls: string[] = [];
  const cache = new SurveyCache(new FakeDocker(), {
    maxAgeMs: 1000,
    now: () => clock.now,
    survey: (_docker, container) => {
      calls.push(container);
      return Promise.resolve(SURVEY);
    },
  });
  const [a, b] = await Promise.all([cache.get("k", "ws-01-ssh"), cache.get("k", "ws-01-ssh")]);
  assert.equal(a, SURVEY);
  assert.equal(b, SURVEY);
  clock.now = 999;
  await cache.get("k", "ws-01-ssh");
  assert.deepEqual(calls, ["ws-01-ssh"], "concurrent and fresh asks share one exec");
  clock.now = 1000;
  await cache.get("k", "ws-01-ssh");
  await cache.get("other deploy", "ws-01-ssh");
  assert.equal(calls.length, 3, "refreshed when stale; a new deployment key surveys afresh");
  cache.retain(new Set(["k"]));
  await cache.get("other deploy", "ws-01-ssh");
  cache.forget("k");
  await cache.get("k", "ws-01-ssh");
  assert.equal(calls.length, 5, "retain() and forget() drop entries");
});

Deno.test("SurveyCache.get() answers null after a failure and retries after retryMs", async () => {
  const clock = { now: 0 };
  const errors: string[] = [];
  let fail = true;
  const cache = new SurveyCache(new FakeDocker(), {
    retryMs: 100,
    now: () => clock.now,
    onError: (container, e) => errors.push(`${container}: ${(e as Error).message}`),
    survey: () => fail ? Promise.reject(new Error("no such container")) : Promise.resolve(SURVEY),
  });
  assert.equal(await cache.get("k", "ws-01-ssh"), null);
  fail = false;
  clock.now = 99;
  assert.equal(await cache.get("k", "ws-01-ssh"), null, "the failure is remembered");
  clock.now = 100;
  assert.equal(await cache.get("k", "ws-01-ssh"), SURVEY);
  assert.deepEqual(errors, ["ws-01-ssh: no such container"]);
});

Deno.test("SurveyCache by default runs the survey script and rejects output that stops early", async () => {
  const docker = new FakeDocker();
  const errors: unknown[] = [];
  const cache = new SurveyCache(docker, { onError: (_c, e) => errors.push(e) });
  assert.equal(await cache.get("k", "ws-01-ssh"), null);
  const exec = docker.execs[0];
  assert.deepEqual(exec.argv.slice(0, 2), ["sh", "-s"]);
  assert.match(exec.argv[2], /^[0-9a-f]{16}$/, "a fresh random marker as $1");
  assert.match(
    new TextDecoder().decode(exec.stdin!),
    /^\{\nexport LC_ALL=C\n/,
    "the script on stdin",
  );
  assert.equal(exec.options.user, "0");
  assert.match(String(errors[0]), /SurveyError: Cannot survey container "ws-01-ssh"/);
});
