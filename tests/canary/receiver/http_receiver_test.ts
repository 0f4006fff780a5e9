import assert from "node:assert/strict";
import {
  createProxyMatcher,
  handleCanaryRequest,
  type HandleCanaryRequestOptions,
  TRANSPARENT_GIF,
} from "../../../canary/receiver/mod.ts";
import { MemoryTriggerSink, SLUG } from "./_memory_trigger_sink.ts";

const NOW = new Date("2026-11-18T14:00:00Z");

function setup(extra: Partial<HandleCanaryRequestOptions> = {}) {
  const sink = new MemoryTriggerSink();
  sink.add({ uuid: "tok-1", callbackToken: SLUG });
  const options: HandleCanaryRequestOptions = {
    sink,
    serverHeader: "nginx",
    proxies: createProxyMatcher([]),
    peerIp: "192.0.2.9",
    now: () => NOW,
    ...extra,
  };
  const call = (path: string, init: RequestInit = {}) =>
    handleCanaryRequest(new Request(`http://bait.example${path}`, init), options);
  return { sink, call };
}

async function snapshot(res: Response): Promise<unknown> {
  return {
    status: res.status,
    headers: [...res.headers],
    body: [...new Uint8Array(await res.arrayBuffer())],
  };
}

Deno.test("handleCanaryRequest() answers the same GIF for known and unknown slugs", async (t) => {
  const { call } = setup();
  for (const method of ["GET", "HEAD", "POST"]) {
    await t.step(method, async () => {
      const body = method === "POST" ? "x=1" : undefined;
      const known = await call(`/c/${SLUG}`, { method, body });
      const unknown = await call("/c/Zz3dEf6hIj9kLm2nOp5qRs", { method, body });
      const odd = await call("/c/%00weird", { method, body });
      const a = await snapshot(known);
      assert.deepEqual(a, await snapshot(unknown));
      assert.deepEqual(a, await snapshot(odd));
      assert.equal(known.status, 200);
      assert.equal(known.headers.get("content-type"), "image/gif");
      assert.equal(known.headers.get("server"), "nginx");
    });
  }
  await t.step("body is the 43-byte GIF", async () => {
    const res = await call(`/c/${SLUG}/info/refs?service=git-upload-pack`);
    const body = new Uint8Array(await res.arrayBuffer());
    assert.equal(body.length, 43);
    assert.deepEqual(body, TRANSPARENT_GIF);
  });
});

Deno.test("handleCanaryRequest() records a trigger for an active slug", async () => {
  const { call, sink } = setup();
  await call(`/c/${SLUG}/info/refs?service=git-upload-pack`, {
    headers: { "user-agent": "git/2.39.5", "x-forwarded-for": "198.51.100.7" },
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
    headers: { "user-agent": "git/2.39.5", "x-forwarded-for": "198.51.100.7" },
  });
});

Deno.test("handleCanaryRequest() records nothing for unknown slugs and other paths", async () => {
  const { call, sink } = setup();
  await call("/c/Zz3dEf6hIj9kLm2nOp5qRs");
  await call(`/x/${SLUG}`);
  await call(`/c/${SLUG}`, { method: "PUT", body: "x" });
  assert.equal(sink.triggers.length, 0);
});

Deno.test("handleCanaryRequest() honours X-Forwarded-For only from trusted proxies", async () => {
  const { call, sink } = setup({ peerIp: "10.0.0.2", proxies: createProxyMatcher(["10.0.0.0/8"]) });
  await call(`/c/${SLUG}`, { headers: { "x-forwarded-for": "203.0.113.5, 10.0.0.9" } });
  assert.equal(sink.triggers[0].srcIp, "203.0.113.5");
});

Deno.test("handleCanaryRequest() answers other paths with the server's plain 404", async (t) => {
  await t.step("nginx", async () => {
    const { call } = setup();
    for (const path of ["/", "/c/", "/docs", "/openapi.json", "/c"]) {
      const res = await call(path);
      assert.equal(res.status, 404);
      const text = await res.text();
      assert.match(text, /<center>nginx<\/center>/);
      assert.doesNotMatch(text, /decnet/i);
    }
  });
  await t.step("Apache", async () => {
    const { call } = setup({ serverHeader: "Apache" });
    const res = await call("/x");
    assert.equal(res.headers.get("server"), "Apache");
    assert.match(await res.text(), /The requested URL was not found on this server/);
  });
});

Deno.test("handleCanaryRequest() still answers when the sink fails", async () => {
  const { call, sink } = setup();
  sink.failWith = new Error("database is down");
  const res = await call(`/c/${SLUG}`);
  assert.equal(res.status, 200);
  await res.body?.cancel();
});
