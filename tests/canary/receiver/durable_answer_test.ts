import assert from "node:assert/strict";
import {
  createProxyMatcher,
  handleCanaryRequest,
  type TriggerRecord,
} from "../../../canary/receiver/mod.ts";
import type { NginxStatus } from "../../../core/http1/mod.ts";
import { TriggerBatcher } from "../../../canary/receiver/trigger_batcher.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { MemoryTriggerSink, SLUG } from "./_memory_trigger_sink.ts";

/** A sink whose writes and settles complete only when the test says so. */
class GatedSink extends MemoryTriggerSink {
  readonly gates: (() => void)[] = [];
  settles = 0;

  override recordTrigger(trigger: TriggerRecord): Promise<void> {
    return new Promise((resolve) => {
      this.gates.push(() => {
        this.triggers.push(trigger);
        resolve();
      });
    });
  }

  settle(): Promise<void> {
    this.settles++;
    return new Promise((resolve) => this.gates.push(resolve));
  }
}

function answer(
  sink: GatedSink,
  slug: string,
): { settled: () => boolean; res: Promise<NginxStatus> } {
  let done = false;
  const request = {
    method: "GET",
    target: `/c/${slug}`,
    path: `/c/${slug}`,
    headers: [["Host", "bait.example"]] as const,
  };
  const res = handleCanaryRequest(request, {
    sink,
    proxies: createProxyMatcher([]),
    peerIp: "192.0.2.9",
  }).finally(() => done = true);
  return { settled: () => done, res };
}

function until(check: () => boolean): Promise<void> {
  return waitUntil(check, { intervalMs: 1, what: "the sink to be called" });
}

Deno.test("handleCanaryRequest() answers a known slug only once its trigger is durable", async () => {
  const sink = new GatedSink();
  sink.add({ uuid: "tok-1", callbackToken: SLUG });
  const call = answer(sink, SLUG);
  await until(() => sink.gates.length === 1);
  assert.equal(call.settled(), false, "no answer before the write completes");
  sink.gates[0]();
  assert.equal(await call.res, 200);
  assert.equal(sink.triggers.length, 1);
});

Deno.test("handleCanaryRequest() makes an unknown slug wait for the sink's next commit, writing nothing", async () => {
  const sink = new GatedSink();
  const call = answer(sink, "NoSuchS1ugAtAllxxxxxxx");
  await until(() => sink.gates.length === 1);
  assert.equal(call.settled(), false);
  assert.equal(sink.settles, 1);
  sink.gates[0]();
  assert.equal(await call.res, 404, "nginx's 404, after the same wait");
  assert.equal(sink.triggers.length, 0);
});

Deno.test("TriggerBatcher.settle() resolves with the write it shares, and settles the sink when alone", async () => {
  const sink = new GatedSink();
  const batcher = new TriggerBatcher(sink);
  let settled = false;
  const alone = batcher.settle().then(() => settled = true);
  await until(() => sink.settles === 1);
  assert.equal(settled, false);
  sink.gates.shift()!();
  await alone;
  const trigger = {
    tokenUuid: "tok-1",
    occurredAt: new Date(0),
    srcIp: "192.0.2.9",
    userAgent: null,
    method: "GET",
    requestPath: "/c/x",
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  };
  let shared = false;
  const recorded = batcher.record(trigger);
  const waiting = batcher.settle().then(() => shared = true);
  await until(() => sink.gates.length === 1);
  assert.equal(sink.settles, 1, "a settle beside a write does not settle the sink again");
  assert.equal(shared, false);
  sink.gates[0]();
  await Promise.all([recorded, waiting]);
  assert.equal(shared, true);
});
