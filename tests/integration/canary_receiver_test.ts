import assert from "node:assert/strict";
import dgram from "node:dgram";
import {
  type CanaryListenerConfig,
  DNS_RCODE,
  encodeDnsMessage,
  parseDnsMessage,
  serveDns,
  startCanaryListeners,
} from "../../canary/receiver/mod.ts";
import { UDP_QUERY_BUFFER } from "../../canary/receiver/dns_server.ts";
import { Logger } from "../../core/log/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { startUnbound, unboundUnavailable } from "../infra/unbound.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { makeQuery, seededRandom } from "../canary/receiver/_dns_fixtures.ts";
import { MemoryTriggerSink, SLUG } from "../canary/receiver/_memory_trigger_sink.ts";

const ZONE = "t.example.net";

function config(extra: Partial<CanaryListenerConfig> = {}): CanaryListenerConfig {
  return {
    canaryHttpBind: "127.0.0.1",
    canaryHttpPort: 0,
    canaryServerHeader: "nginx/1.22.1",
    canaryTrustedProxies: [],
    canaryDnsBind: "127.0.0.1",
    canaryDnsPort: 0,
    canaryDnsZone: ZONE,
    canaryDnsSinkhole: "10.20.0.80",
    canaryDnsNsAddress: "10.20.0.53",
    canaryDnsRate: 200,
    canaryDnsTtl: 60,
    canaryDnsDedupeSeconds: 60,
    ...extra,
  };
}

async function start(
  extra: Partial<CanaryListenerConfig> = {},
  rateLimit?: null | { ratePerSecond: number; burst: number },
) {
  const sink = new MemoryTriggerSink();
  sink.add({ uuid: "tok-1", callbackToken: SLUG });
  const lines: string[] = [];
  const log = new Logger({ level: "debug", sink: (_l, line) => lines.push(line) });
  const listeners = await startCanaryListeners(config(extra), {
    sink,
    log,
    dnsRateLimit: rateLimit,
  });
  return { sink, listeners, lines, [Symbol.asyncDispose]: () => listeners.close() };
}

async function run(bin: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(findBinary(bin)!, {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

function dig(port: number, ...args: string[]) {
  return run("dig", ["@127.0.0.1", "-p", String(port), "+time=3", "+tries=2", ...args]);
}

const noDig = findBinary("dig") ? undefined : "dig not installed (Debian package bind9-dnsutils)";

Deno.test({
  name: "startCanaryListeners() answers dig over UDP and TCP, echoing letter case",
  ignore: noDig !== undefined,
  async fn(t) {
    await using s = await start();
    const port = s.listeners.dns!.port;
    const mixed = `a.B.${SLUG.slice(0, 11).toUpperCase()}${
      SLUG.slice(11).toLowerCase()
    }.T.Example.NET`;
    for (
      const [label, extra] of [
        ["udp edns", ["+edns=0"]],
        ["udp noedns", ["+noedns"]],
        ["tcp edns", ["+tcp", "+edns=0"]],
        ["tcp noedns", ["+tcp", "+noedns"]],
      ] as [string, string[]][]
    ) {
      await t.step(label, async () => {
        const out = await dig(port, ...extra, "+norecurse", mixed, "A");
        assert.equal(out.code, 0, out.stderr);
        assert.match(out.stdout, /status: NOERROR/);
        assert.match(out.stdout, /flags: qr aa;/);
        // The answer owner repeats the question byte for byte.
        assert.match(
          out.stdout,
          new RegExp(
            `^${mixed.replaceAll(".", "\\.")}\\.\\s+60\\s+IN\\s+A\\s+10\\.20\\.0\\.80$`,
            "m",
          ),
        );
        if (extra.includes("+edns=0")) assert.match(out.stdout, /udp: 1232/);
        else assert.doesNotMatch(out.stdout, /OPT PSEUDOSECTION/);
        assert.doesNotMatch(out.stdout, /decnet/i);
      });
    }
    await t.step("one trigger per resolver and name despite four lookups", () => {
      assert.equal(s.sink.triggers.length, 1);
      const trig = s.sink.triggers[0];
      assert.equal(trig.dnsQname, mixed);
      assert.equal(trig.srcIp, "127.0.0.1");
      assert.equal(trig.headers.data, "a.B");
    });
    await t.step("AAAA is NOERROR without data, with the SOA", async () => {
      const out = await dig(port, `${SLUG}.${ZONE}`, "AAAA");
      assert.match(out.stdout, /status: NOERROR/);
      assert.match(out.stdout, /ANSWER: 0, AUTHORITY: 1/);
      assert.match(out.stdout, /IN\s+SOA\s+ns1\.t\.example\.net\. hostmaster\.t\.example\.net\./);
    });
    await t.step("unknown names are NXDOMAIN with the SOA", async () => {
      const out = await dig(port, `nosuchslug.${ZONE}`, "A");
      assert.match(out.stdout, /status: NXDOMAIN/);
      assert.match(out.stdout, /AUTHORITY: 1/);
    });
    await t.step("names outside the zone are REFUSED", async () => {
      const out = await dig(port, "www.example.org", "A");
      assert.match(out.stdout, /status: REFUSED/);
    });
    await t.step("apex SOA with a date-based serial, and NS", async () => {
      const soa = (await dig(port, ZONE, "SOA")).stdout;
      assert.match(soa, /ANSWER: 1,/);
      assert.match(soa, /hostmaster\.t\.example\.net\. 20\d{6}0[1-3] 7200 3600 1209600 60/);
      assert.doesNotMatch(soa, /2024061501/);
      assert.match((await dig(port, ZONE, "NS")).stdout, /IN\s+NS\s+ns1\.t\.example\.net\./);
    });
    await t.step("ns1 resolves to the name server address", async () => {
      const out = await dig(port, `ns1.${ZONE}`, "A");
      assert.match(out.stdout, /status: NOERROR/);
      assert.match(out.stdout, /^ns1\.t\.example\.net\.\s+60\s+IN\s+A\s+10\.20\.0\.53$/m);
    });
    await t.step("zone transfers are refused over TCP", async () => {
      for (const type of ["AXFR", "IXFR=1"]) {
        const out = await dig(port, "+tcp", ZONE, type);
        assert.match(out.stdout, /Transfer failed/, type);
        assert.doesNotMatch(out.stdout, /IN\s+SOA/);
      }
    });
  },
});

Deno.test({
  name:
    "startCanaryListeners() records triggers resolved through unbound with 0x20 and qname minimisation",
  ignore: unboundUnavailable() !== undefined,
  async fn() {
    await using s = await start();
    await using unbound = await startUnbound({ stubZone: ZONE, stubPort: s.listeners.dns!.port });
    for (const name of [`${SLUG}.${ZONE}`, `a.b.${SLUG}.${ZONE}`]) {
      const out = await dig(unbound.port, name, "A");
      assert.match(out.stdout, /status: NOERROR/, out.stdout);
      assert.match(out.stdout, /IN\s+A\s+10\.20\.0\.80/);
      const lc = name.toLowerCase();
      assert.ok(
        s.sink.triggers.some((t) => t.dnsQname?.toLowerCase() === lc),
        `no trigger for ${name}: ${s.sink.triggers.map((t) => t.dnsQname).join(", ")}`,
      );
    }
    const out = await dig(unbound.port, `nosuchslug.${ZONE}`, "A");
    assert.match(out.stdout, /status: NXDOMAIN/);
  },
});

Deno.test({
  name: "startCanaryListeners() serves curl and git ls-remote over HTTP",
  ignore: !findBinary("curl") || !findBinary("git"),
  async fn(t) {
    await using s = await start();
    const base = `http://127.0.0.1:${s.listeners.http.port}`;
    await t.step("curl gets the GIF for an active slug and nginx's 404 for others", async () => {
      const known = await run("curl", ["-sS", "-D", "-", "-o", "/dev/null", `${base}/c/${SLUG}`]);
      const unknown = await run("curl", ["-sS", "-D", "-", "-o", "/dev/null", `${base}/c/nosuch`]);
      assert.match(
        known.stdout,
        /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.22\.1\r\nDate: .*\r\nContent-Type: image\/gif\r\nContent-Length: 43\r\nLast-Modified: Mon, 28 Sep 1970 06:00:00 GMT\r\nConnection: keep-alive\r\n\r\n$/,
      );
      assert.match(unknown.stdout, /^HTTP\/1\.1 404 Not Found\r\nServer: nginx\/1\.22\.1\r\n/);
      assert.doesNotMatch(known.stdout + unknown.stdout, /decnet|deno|no-store|pragma|expires/i);
      await waitUntil(() => s.sink.triggers.length === 1, { what: "curl trigger" });
      assert.match(s.sink.triggers[0].userAgent ?? "", /^curl\//);
    });
    await t.step("curl HEAD and POST on sub-paths", async () => {
      const head = await run("curl", ["-sS", "-I", `${base}/c/${SLUG}/x`]);
      assert.match(head.stdout, /^HTTP\/1\.1 200/);
      const post = await run("curl", [
        "-sS",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-d",
        "a=1",
        `${base}/c/${SLUG}/hook`,
      ]);
      assert.equal(post.stdout, "405");
      await waitUntil(() => s.sink.triggers.length === 3, { what: "head and post triggers" });
      assert.deepEqual(s.sink.triggers.slice(1).map((t) => t.method), ["HEAD", "POST"]);
    });
    await t.step("other paths get nginx's 404", async () => {
      const res = await run("curl", ["-sS", "-i", `${base}/docs`]);
      assert.match(res.stdout, /^HTTP\/1\.1 404/);
      assert.match(res.stdout, /<center>nginx\/1\.22\.1<\/center>/);
    });
    await t.step("git ls-remote is recorded with its sub-path", async () => {
      const before = s.sink.triggers.length;
      // git falls back to the dumb protocol and finds no refs in a GIF; the exit code does not matter.
      await run("git", ["ls-remote", `${base}/c/${SLUG}/project.git`], {
        GIT_TERMINAL_PROMPT: "0",
      });
      await waitUntil(() => s.sink.triggers.length > before, { what: "git trigger" });
      const trig = s.sink.triggers[before];
      assert.equal(trig.requestPath, `/c/${SLUG}/project.git/info/refs?service=git-upload-pack`);
      assert.match(trig.userAgent ?? "", /^git\//);
    });
  },
});

Deno.test({
  name: "serveDns() still answers after a flood of fuzzed UDP and TCP packets",
  ignore: noDig !== undefined,
  async fn() {
    await using s = await start({}, null);
    const port = s.listeners.dns!.port;
    const random = seededRandom(42);
    const socket = dgram.createSocket("udp4");
    const valid = [...(await dig(port, "+qr", `${SLUG}.${ZONE}`)).stdout].length; // warm-up query
    assert.ok(valid > 0);
    for (let i = 0; i < 20_000; i++) {
      const bytes = Uint8Array.from(
        { length: Math.floor(random() * 200) },
        () => Math.floor(random() * 256),
      );
      if (bytes.length > 3 && i % 2 === 0) bytes[2] &= 0x7f; // looks like a query: FORMERR path
      await new Promise<void>((resolve) => socket.send(bytes, port, "127.0.0.1", () => resolve()));
    }
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    for (let i = 0; i < 20; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      const junk = Uint8Array.from({ length: 64 }, () => Math.floor(random() * 256));
      await conn.write(junk).catch(() => 0);
      conn.close();
    }
    const out = await dig(port, `${SLUG}.${ZONE}`, "A");
    assert.match(out.stdout, /IN\s+A\s+10\.20\.0\.80/);
    const tcp = await dig(port, "+tcp", `${SLUG}.${ZONE}`, "A");
    assert.match(tcp.stdout, /IN\s+A\s+10\.20\.0\.80/);
  },
});

/** Sends `count` copies of `query` over UDP; the answers that came back once `expected` arrived. */
async function flood(port: number, query: Uint8Array, count: number, expected: number) {
  const socket = dgram.createSocket("udp4");
  const answers: Uint8Array[] = [];
  socket.on("message", (msg: Uint8Array) => answers.push(new Uint8Array(msg)));
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve) => socket.send(query, port, "127.0.0.1", () => resolve()));
  }
  await waitUntil(() => answers.length >= expected, { what: `${expected} answers` });
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return answers.map((a) => parseDnsMessage(a));
}

Deno.test({
  name: "serveDns() answers part of a UDP flood over the rate truncated, and TCP is not limited",
  ignore: noDig !== undefined,
  async fn() {
    const sink = new MemoryTriggerSink();
    sink.add({ uuid: "tok-1", callbackToken: SLUG });
    // A stopped clock: no token comes back during the test, so the counts are exact.
    await using dns = await serveDns(
      { hostname: "127.0.0.1", port: 0, zone: ZONE, sinkhole: "10.20.0.80", ttl: 60 },
      {
        sink,
        log: new Logger({ level: "error", sink: () => {} }),
        rateLimit: { ratePerSecond: 1, burst: 5 },
        now: () => 1_800_000_000_000,
      },
    );
    const query = encodeDnsMessage(makeQuery(`${SLUG}.${ZONE}`, { id: 7 }));
    // The burst gets full answers; of the 41 over the rate, every second one a truncated answer.
    const answers = await flood(dns.port, query, 46, 25);
    const truncated = answers.filter((m) => m.header.tc);
    assert.equal(truncated.length, 20);
    assert.ok(truncated.every((m) => m.answers.length === 0 && m.header.id === 7));
    // The 41st over the rate was dropped, so dig's first try is the 42nd: truncated, and dig
    // retries over TCP, where it gets the answer.
    const out = await dig(dns.port, `nosuch.${ZONE}`, "A");
    assert.match(out.stdout, /Truncated, retrying in TCP mode/);
    assert.match(out.stdout, /status: NXDOMAIN/);
    for (let i = 0; i < 10; i++) {
      const tcp = await dig(dns.port, "+tcp", `${SLUG}.${ZONE}`, "A");
      assert.match(tcp.stdout, /status: NOERROR/);
    }
  },
});

Deno.test("startCanaryListeners() limits each DNS source to DECNET_CANARY_DNS_RATE", async (t) => {
  const query = encodeDnsMessage(makeQuery(`${SLUG}.${ZONE}`));
  await t.step("1 per second: past the burst of 2, truncated answers and silence", async () => {
    await using s = await start({ canaryDnsRate: 1 });
    const answers = await flood(s.listeners.dns!.port, query, 30, 10);
    assert.ok(answers.filter((m) => m.header.tc).length >= 8);
    assert.ok(answers.length < 30);
  });
  await t.step("0: no limit", async () => {
    await using s = await start({ canaryDnsRate: 0 });
    const answers = await flood(s.listeners.dns!.port, query, 30, 30);
    assert.ok(answers.every((m) => !m.header.tc && m.answers.length === 1));
  });
});

Deno.test({
  name:
    "startCanaryListeners() logs each trigger at debug only: a flood writes no line per callback",
  ignore: noDig !== undefined || !findBinary("curl"),
  async fn() {
    const sink = new MemoryTriggerSink();
    sink.add({ uuid: "tok-1", callbackToken: SLUG });
    const lines: string[] = [];
    const log = new Logger({ level: "info", sink: (_l, line) => lines.push(line) });
    await using listeners = await startCanaryListeners(config(), { sink, log });
    const before = lines.length;
    for (let i = 0; i < 3; i++) {
      const url = `http://127.0.0.1:${listeners.http.port}/c/${SLUG}/${i}`;
      const http = await run("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", url]);
      assert.equal(http.stdout, "200");
      const dns = await dig(listeners.dns!.port, `n${i}.${SLUG}.${ZONE}`, "A");
      assert.match(dns.stdout, /status: NOERROR/);
    }
    assert.equal(sink.triggers.length, 6);
    assert.deepEqual(lines.slice(before), []);
  },
});

Deno.test("serveDns() reads a UDP query up to UDP_QUERY_BUFFER bytes, a longer one is cut (FORMERR)", async () => {
  await using s = await start({}, null);
  const port = s.listeners.dns!.port;
  const socket = dgram.createSocket("udp4");
  const answers: Uint8Array[] = [];
  socket.on("message", (msg: Uint8Array) => answers.push(new Uint8Array(msg)));
  /** The rcode of the answer to one query padded (EDNS option 12) to exactly `size` bytes. */
  const ask = async (size: number) => {
    const bare = encodeDnsMessage(makeQuery(`${SLUG}.${ZONE}`, { edns: 1232 })).length;
    const query = encodeDnsMessage(
      makeQuery(`${SLUG}.${ZONE}`, {
        edns: 1232,
        ednsOptions: [{ code: 12, data: new Uint8Array(Math.max(0, size - bare - 4)) }],
      }),
    );
    const expected = answers.length + 1;
    await new Promise<void>((resolve) => socket.send(query, port, "127.0.0.1", () => resolve()));
    await waitUntil(() => answers.length >= expected, { what: `the answer to ${size} bytes` });
    return parseDnsMessage(answers[expected - 1]).header.rcode;
  };
  try {
    // The listener's very first read was posted before its buffer size was set: spend it.
    assert.equal(await ask(0), DNS_RCODE.NOERROR);
    assert.equal(await ask(UDP_QUERY_BUFFER), DNS_RCODE.NOERROR);
    assert.equal(await ask(UDP_QUERY_BUFFER + 1), DNS_RCODE.FORMERR);
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
});
