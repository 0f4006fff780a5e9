import assert from "node:assert/strict";
import {
  type CanaryHttpRequest,
  createProxyMatcher,
  handleCanaryRequest,
  type HandleCanaryRequestOptions,
} from "../../../canary/receiver/mod.ts";
import { MemoryTriggerSink, SLUG } from "./_memory_trigger_sink.ts";

const NOW = new Date("2026-11-18T14:00:00Z");

function setup(extra: Partial<HandleCanaryRequestOptions> = {}) {
  const sink = new MemoryTriggerSink();
  sink.add({ uuid: "tok-1", callbackToken: SLUG });
  const options: HandleCanaryRequestOptions = {
    sink,
    proxies: createProxyMatcher([]),
    peerIp: "192.0.2.9",
    now: () => NOW,
    ...extra,
  };
  const call = (
    target: string,
    init: { method?: string; headers?: [string, string][]; path?: string } = {},
  ) => {
    const request: CanaryHttpRequest = {
      method: init.method ?? "GET",
      target,
      path: init.path ?? target.replace(/\?.*$/, ""),
      headers: init.headers ?? [["Host", "bait.example"]],
    };
    return handleCanaryRequest(request, options);
  };
  return { sink, call };
}

Deno.test("handleCanaryRequest() answers the GIF only for active slugs", async (t) => {
  const { call } = setup();
  await t.step("GET and HEAD on the slug and below it", async () => {
    for (const method of ["GET", "HEAD"]) {
      assert.equal(await call(`/c/${SLUG}`, { method }), 200);
      assert.equal(await call(`/c/${SLUG}/`, { method }), 200);
      assert.equal(await call(`/c/${SLUG}/info/refs?service=git-upload-pack`, { method }), 200);
    }
  });
  await t.step("other methods on an active slug are 405, as empty_gif answers", async () => {
    for (const method of ["POST", "PUT", "OPTIONS", "DELETE"]) {
      assert.equal(await call(`/c/${SLUG}`, { method }), 405);
    }
  });
  await t.step("unknown slugs, other cases and other paths are 404", async () => {
    for (
      const path of [
        "/c/abc",
        "/c/x.gif",
        `/c/${SLUG.toLowerCase()}`,
        "/",
        "/c/",
        "/c",
        `/x/${SLUG}`,
        "/c/%00weird",
      ]
    ) {
      assert.equal(await call(path), 404, path);
      assert.equal(await call(path, { method: "POST" }), 404, path);
    }
  });
});

Deno.test("handleCanaryRequest() records a trigger for an active slug", async () => {
  const { call, sink } = setup();
  await call(`/c/${SLUG}/info/refs?service=git-upload-pack`, {
    headers: [["Host", "h"], ["User-Agent", "git/2.39.5"], ["X-Forwarded-For", "198.51.100.7"]],
  });
  assert.equal(sink.triggers.length, 1);
  assert.deepEqual(sink.triggers[0], {
    tokenUuid: "tok-1",
    occurredAt: NOW,
    srcIp: "192.0.2.9",
    userAgent: "git/2.39.5",
    method: "GET",
    requestPath: `/c/${SLUG}/info/refs?service=git-upload-pack`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: { "host": "h", "user-agent": "git/2.39.5", "x-forwarded-for": "198.51.100.7" },
  });
});

Deno.test("handleCanaryRequest() records POST (answered 405) but not other methods", async () => {
  const { call, sink } = setup();
  await call(`/c/${SLUG}/hook`, { method: "POST" });
  await call(`/c/${SLUG}`, { method: "PUT" });
  assert.deepEqual(sink.triggers.map((t) => t.method), ["POST"]);
});

Deno.test("handleCanaryRequest() records nothing for unknown slugs and other paths", async () => {
  const { call, sink } = setup();
  await call("/c/Zz3dEf6hIj9kLm2nOp5qRs");
  await call(`/x/${SLUG}`);
  assert.equal(sink.triggers.length, 0);
});

Deno.test("handleCanaryRequest() honours X-Forwarded-For only from trusted proxies", async (t) => {
  await t.step("trusted peer: the first untrusted hop from the right", async () => {
    const { call, sink } = setup({
      peerIp: "10.0.0.2",
      proxies: createProxyMatcher(["10.0.0.0/8"]),
    });
    await call(`/c/${SLUG}`, {
      headers: [["Host", "h"], ["X-Forwarded-For", "203.0.113.5"], [
        "x-forwarded-for",
        "10.0.0.9",
      ]],
    });
    assert.equal(sink.triggers[0].srcIp, "203.0.113.5");
  });
  await t.step("untrusted peer: its own address", async () => {
    const { call, sink } = setup();
    await call(`/c/${SLUG}`, { headers: [["X-Forwarded-For", "203.0.113.5"]] });
    assert.equal(sink.triggers[0].srcIp, "192.0.2.9");
  });
});

Deno.test("handleCanaryRequest() answers 404 when the lookup fails", async () => {
  const { call, sink } = setup();
  sink.failWith = new Error("database is down");
  assert.equal(await call(`/c/${SLUG}`), 404);
});

Deno.test("handleCanaryRequest() matches the decoded path as nginx's locations do", async () => {
  const { call } = setup();
  assert.equal(await call(`/c/${SLUG}%23x`, { path: `/c/${SLUG}#x` }), 404);
  assert.equal(await call(`/c/${SLUG}%3Fx`, { path: `/c/${SLUG}?x` }), 404);
  assert.equal(await call(`/c/${SLUG}%2Fx`, { path: `/c/${SLUG}/x` }), 200);
});

Deno.test("handleCanaryRequest() looks a slug up at once when the sink holds tokens in memory", async () => {
  const { sink, call } = setup();
  const asked: string[] = [];
  const token = sink.tokens[0];
  Object.assign(sink, {
    activeBySlug(slug: string) {
      asked.push(slug);
      return slug === token.callbackToken ? token : null;
    },
  });
  assert.equal(await call(`/c/${SLUG}`), 200);
  assert.equal(await call("/c/abc"), 404);
  assert.deepEqual(asked, [SLUG, "abc"]);
  assert.equal(sink.lookups, 0, "findActiveBySlug was asked too");
  assert.equal(sink.triggers.length, 1);
});
