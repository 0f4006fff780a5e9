import assert from "node:assert/strict";
import dgram from "node:dgram";
import {
  DNS_RCODE,
  encodeDnsMessage,
  parseDnsMessage,
  serveDns,
  type TriggerRecord,
} from "../../../canary/receiver/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { makeQuery } from "./_dns_fixtures.ts";
import { MemoryTriggerSink, SLUG } from "./_memory_trigger_sink.ts";

const ZONE = "t.example.net";

/** A sink whose writes and settles complete (or fail) only when the test says so. */
class GatedSink extends MemoryTriggerSink {
  readonly gates: { open(): void; fail(e: Error): void }[] = [];
  settles = 0;

  override recordTrigger(trigger: TriggerRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.gates.push({
        open: () => {
          this.triggers.push(trigger);
          resolve();
        },
        fail: reject,
      });
    });
  }

  settle(): Promise<void> {
    this.settles++;
    return new Promise((resolve, reject) => this.gates.push({ open: resolve, fail: reject }));
  }
}

/** The DNS listener over a gated sink, and a UDP client collecting its answers. */
async function start() {
  const sink = new GatedSink();
  sink.add({ uuid: "tok-1", callbackToken: SLUG });
  const errors: string[] = [];
  const log = new Logger({
    level: "error",
    sink: (_level, line) => errors.push(line),
  });
  const dns = await serveDns(
    { zone: ZONE, sinkhole: "192.0.2.1", ttl: 60, hostname: "127.0.0.1", port: 0 },
    { sink, log, rateLimit: null },
  );
  const client = dgram.createSocket("udp4");
  const answers: Uint8Array[] = [];
  client.on("message", (msg: Uint8Array) => answers.push(new Uint8Array(msg)));
  await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", resolve));
  let id = 0;
  return {
    sink,
    dns,
    answers,
    errors,
    /** Sends a query for `name` and returns its id. */
    ask(name: string): number {
      client.send(encodeDnsMessage(makeQuery(name, { id: ++id })), dns.port, "127.0.0.1");
      return id;
    },
    /** The answer with this id, once it came. */
    async answer(queryId: number) {
      const find = () =>
        answers.map((a) => parseDnsMessage(a)).find((m) => m.header.id === queryId);
      await waitUntil(() => find() !== undefined, { what: `the answer to query ${queryId}` });
      return find()!;
    },
    async [Symbol.asyncDispose]() {
      sink.gates.forEach((g) => g.open());
      await dns.close();
      await new Promise<void>((resolve) => client.close(() => resolve()));
    },
  };
}

/** Asks over TCP (length-prefixed) and returns the answer. */
async function askTcp(port: number, name: string) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const query = encodeDnsMessage(makeQuery(name));
    await conn.write(Uint8Array.of(query.length >> 8, query.length & 0xff, ...query));
    const chunks: number[] = [];
    const buf = new Uint8Array(4096);
    while (chunks.length < 2 || chunks.length < 2 + ((chunks[0] << 8) | chunks[1])) {
      const n = await conn.read(buf);
      if (n === null) throw new Error("the listener closed the connection");
      chunks.push(...buf.subarray(0, n));
    }
    return parseDnsMessage(Uint8Array.from(chunks.slice(2)));
  } finally {
    conn.close();
  }
}

Deno.test("serveDns() sends a bait name's UDP answer once its trigger is durable, and a repeat's after a commit", async () => {
  await using s = await start();
  const first = s.ask(`a.${SLUG}.${ZONE}`);
  await waitUntil(() => s.sink.gates.length === 1, { what: "the trigger to be written" });
  assert.equal(s.answers.length, 0, "no answer before the trigger is durable");
  s.sink.gates[0].open();
  const answer = await s.answer(first);
  assert.equal(answer.header.rcode, DNS_RCODE.NOERROR);
  assert.equal(answer.answers.length, 1);
  assert.equal(s.sink.triggers.length, 1);

  // The same name again, within the dedupe window: nothing recorded, but the same wait.
  const repeat = s.ask(`a.${SLUG}.${ZONE}`);
  await waitUntil(() => s.sink.gates.length === 2, { what: "the repeat to wait for a commit" });
  assert.equal(s.sink.settles, 1);
  assert.equal(s.answers.length, 1, "the repeat is not answered before the commit");
  s.sink.gates[1].open();
  assert.equal((await s.answer(repeat)).header.rcode, DNS_RCODE.NOERROR);
  assert.equal(s.sink.triggers.length, 1);
});

Deno.test("serveDns() answers unknown names over UDP after the next commit, writing nothing", async () => {
  await using s = await start();
  const ids = [s.ask(`nosuchslug1.${ZONE}`), s.ask(`nosuchslug2.${ZONE}`)];
  await waitUntil(() => s.sink.gates.length >= 1, { what: "the answers to wait for a commit" });
  assert.equal(s.answers.length, 0, "no answer before the commit");
  // Both queries may land in one commit or two: open whatever is waiting until both are answered.
  await waitUntil(() => {
    s.sink.gates.forEach((g) => g.open());
    return s.answers.length === 2;
  }, { what: "both answers" });
  for (const id of ids) assert.equal((await s.answer(id)).header.rcode, DNS_RCODE.NXDOMAIN);
  assert.equal(s.sink.triggers.length, 0);
});

Deno.test("serveDns() answers SERVFAIL when the commit an answer waits for fails, over UDP and TCP", async () => {
  await using s = await start();
  const id = s.ask(`nosuchslug.${ZONE}`);
  await waitUntil(() => s.sink.gates.length === 1, { what: "the answer to wait for a commit" });
  s.sink.gates[0].fail(new Error("disk full"));
  const udp = await s.answer(id);
  assert.equal(udp.header.rcode, DNS_RCODE.SERVFAIL);
  assert.deepEqual(udp.questions[0].name, ["nosuchslug", "t", "example", "net"]);

  const tcp = askTcp(s.dns.port, `${SLUG}.${ZONE}`);
  // A repeat-free bait name over TCP records its trigger; its failure is logged, not answered.
  await waitUntil(() => s.sink.gates.length === 2, { what: "the TCP trigger to be written" });
  s.sink.gates[1].fail(new Error("disk full"));
  assert.equal((await tcp).header.rcode, DNS_RCODE.NOERROR);
  const tcpRepeat = askTcp(s.dns.port, `${SLUG}.${ZONE}`);
  await waitUntil(() => s.sink.gates.length === 3, { what: "the TCP repeat to wait" });
  s.sink.gates[2].fail(new Error("disk full"));
  assert.equal((await tcpRepeat).header.rcode, DNS_RCODE.SERVFAIL);
  assert.equal(s.errors.length, 3, s.errors.join("\n"));
});
