import assert from "node:assert/strict";
import {
  decodeTriggerRecord,
  encodeTriggerRecord,
  JournalWriter,
  listSegments,
  readJournal,
  segmentDataBytes,
  segmentName,
} from "../../../core/journal/mod.ts";
import type { TriggerInput } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";

function trigger(i: number): TriggerInput {
  return {
    tokenUuid: "00000000-0000-4000-8000-000000000001",
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    srcIp: "192.0.2.7",
    userAgent: "curl/8",
    method: "GET",
    requestPath: `/c/slug/${i}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: { "user-agent": "curl/8" },
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "journal-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("JournalWriter.append() resolves once the lines are on disk, sharing one sync among concurrent appends", async () => {
  await withDir(async (dir) => {
    await using journal = await JournalWriter.open(dir, { maxBytes: 1024 ** 2 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => journal.append([encodeTriggerRecord(trigger(i))])),
    );
    assert.ok(results.every((r) => r));
    const stats = journal.stats();
    assert.equal(stats.committed, 200);
    assert.ok(stats.commits < 20, `200 concurrent appends took ${stats.commits} syncs`);
    const read = await readJournal(dir, { segment: 0, offset: 0 }, { maxRecords: 1000 });
    assert.equal(read.records.length, 200);
    assert.deepEqual(
      read.records.map((r) => decodeTriggerRecord(r.text)?.requestPath),
      Array.from({ length: 200 }, (_, i) => `/c/slug/${i}`),
    );
  });
});

Deno.test("JournalWriter.settle() waits for a commit tick and writes nothing", async () => {
  await withDir(async (dir) => {
    await using journal = await JournalWriter.open(dir, { maxBytes: 1024 ** 2 });
    await Promise.all([journal.settle(), journal.settle()]);
    assert.equal(journal.stats().committed, 0);
    assert.equal((await listSegments(dir)).reduce((n, s) => n + s.size, 0), 0);
  });
});

Deno.test("JournalWriter.settle() writes the pace file in place over zeros, restarting it once they are used up", async () => {
  await withDir(async (dir) => {
    // 8 KiB segments: a segment (and the pace file) is zeroed 8 KiB ahead.
    await using journal = await JournalWriter.open(dir, {
      maxBytes: 32 * 1024,
      segmentBytes: 8192,
    });
    await journal.settle();
    // One settle alone imitates a 512-byte commit, written with the zeros ahead of it.
    assert.equal((await Deno.stat(`${dir}/.pace`)).size, 8192);
    // 100 settles pass its 8 KiB several times: it restarts rather than grow.
    for (let i = 0; i < 100; i++) await journal.settle();
    assert.equal((await Deno.stat(`${dir}/.pace`)).size, 8192);
  });
});

Deno.test("JournalWriter.append() overwrites zeros written ahead of the data, and close() cuts them", async (t) => {
  for (const offThread of [false, true]) {
    await t.step(offThread ? "on the blocking pool" : "on the calling thread", async () => {
      await withDir(async (dir) => {
        const line = encodeTriggerRecord(trigger(1));
        const journal = await JournalWriter.open(dir, {
          maxBytes: 1024 ** 2,
          segmentBytes: 64 * 1024,
          offThread,
        });
        await Promise.all([journal.append([line]), journal.settle()]);
        const [segment] = await listSegments(dir);
        // Zeroed a whole (64 KiB) segment ahead: the next commits do not grow the file.
        assert.equal(segment.size, 64 * 1024);
        await journal.append([line]);
        assert.equal((await Deno.stat(segment.path)).size, 64 * 1024);
        // An empty tick writes the pace file the same way.
        await journal.settle();
        assert.equal((await Deno.stat(`${dir}/.pace`)).size, 64 * 1024);
        const read = await readJournal(dir, { segment: 0, offset: 0 });
        assert.equal(read.records.length, 2);
        assert.deepEqual(read.to, { segment: segment.number, offset: 2 * (line.length + 1) });
        await journal.close();
        assert.equal(await Deno.readTextFile(segment.path), `${line}\n${line}\n`);
      });
    });
  }
});

Deno.test("JournalWriter.append() cuts the zeros of a segment it closes, and keeps the files within the bound", async () => {
  await withDir(async (dir) => {
    const line = encodeTriggerRecord(trigger(1));
    await using journal = await JournalWriter.open(dir, {
      maxBytes: 12 * 1024,
      segmentBytes: 4096,
    });
    let kept = 0;
    for (let i = 0; i < 60; i++) {
      if (await journal.append([line])) kept++;
      const sizes = (await listSegments(dir)).map((s) => s.size);
      assert.ok(sizes.reduce((a, b) => a + b, 0) <= 12 * 1024, `segments of ${sizes} bytes`);
    }
    const segments = await listSegments(dir);
    assert.ok(segments.length >= 3 && kept < 60);
    for (const s of segments.slice(0, -1)) {
      const text = await Deno.readTextFile(s.path);
      assert.ok(
        text.endsWith("\n") && !text.includes("\0"),
        `segment ${s.number} ends in its data`,
      );
    }
    const read = await readJournal(dir, { segment: 0, offset: 0 }, { maxRecords: 100 });
    assert.equal(read.records.length, kept);
    assert.equal(read.skipped, 0);
  });
});

Deno.test("JournalWriter.append() counts records lost beyond the bound and writes again once segments are removed", async () => {
  await withDir(async (dir) => {
    const line = encodeTriggerRecord(trigger(1));
    const logged: string[] = [];
    const log = new Logger({ level: "info", sink: (_level, line) => logged.push(line) });
    await using journal = await JournalWriter.open(dir, {
      maxBytes: 8192,
      segmentBytes: 4096,
      log,
    });
    let kept = 0;
    for (let i = 0; i < 60; i++) if (await journal.append([line])) kept++;
    const stats = journal.stats();
    assert.equal(stats.committed, kept);
    assert.equal(stats.lost, 60 - kept);
    assert.ok(stats.full && stats.lost > 0 && kept > 0);
    // Logged once per period, not once per lost trigger.
    assert.equal(logged.filter((l) => l.includes("canary journal full")).length, 1);
    // The ingest removes what it stored (every closed segment): room again.
    const segments = await listSegments(dir);
    for (const s of segments.slice(0, -1)) await Deno.remove(s.path);
    // The writer re-lists the directory at most every 250 ms when full.
    await waitUntil(() => journal.append([line]), { what: "room in the journal" });
    assert.equal(journal.stats().full, false);
  });
});

Deno.test("readJournal() reads across segments in order, skips a torn tail of a closed segment, and waits on the newest's", async () => {
  await withDir(async (dir) => {
    const a = encodeTriggerRecord(trigger(1));
    const b = encodeTriggerRecord(trigger(2));
    // Segment 1 was cut by a crash mid-line; segment 2 is being written.
    await Deno.writeTextFile(`${dir}/${segmentName(1)}`, `${a}\n${b.slice(0, 20)}`);
    await Deno.writeTextFile(`${dir}/${segmentName(2)}`, `${b}\n${a.slice(0, 10)}`);
    const read = await readJournal(dir, { segment: 0, offset: 0 });
    assert.deepEqual(read.records.map((r) => r.id), ["1:0", "2:0"]);
    assert.equal(read.skipped, 1);
    assert.deepEqual(read.to, { segment: 2, offset: b.length + 1 });
    assert.deepEqual(read.done, [`${dir}/${segmentName(1)}`]);
    const again = await readJournal(dir, read.to);
    assert.equal(again.records.length, 0);
    assert.deepEqual(again.to, read.to);
  });
});

Deno.test("readJournal() ends a segment's data at its first zero byte: the newest's is read once written, a closed one's is done", async () => {
  await withDir(async (dir) => {
    const a = encodeTriggerRecord(trigger(1));
    const b = encodeTriggerRecord(trigger(2));
    const enc = new TextEncoder();
    const zeros = (n: number) => "\0".repeat(n);
    // Segment 1 was closed by a crash before its zeros were cut; bytes after them were never
    // acknowledged (a write torn across pages). Segment 2 is being written over its zeros.
    await Deno.writeTextFile(`${dir}/${segmentName(1)}`, `${a}\n${zeros(5000)}${b}\n${zeros(100)}`);
    await Deno.writeFile(`${dir}/${segmentName(2)}`, enc.encode(`${b}\n${zeros(200 * 1024)}`));
    const read = await readJournal(dir, { segment: 0, offset: 0 });
    assert.deepEqual(read.records.map((r) => r.id), ["1:0", "2:0"]);
    assert.equal(read.skipped, 0);
    assert.deepEqual(read.to, { segment: 2, offset: b.length + 1 });
    assert.deepEqual(read.done, [`${dir}/${segmentName(1)}`]);
    // The writer overwrites the zeros after the data: the next read finds the record there.
    using file = await Deno.open(`${dir}/${segmentName(2)}`, { write: true });
    await file.seek(b.length + 1, Deno.SeekMode.Start);
    await file.write(enc.encode(`${a}\n`));
    const again = await readJournal(dir, read.to);
    assert.deepEqual(again.records.map((r) => r.id), [`2:${b.length + 1}`]);
    assert.deepEqual(again.to, { segment: 2, offset: b.length + a.length + 2 });
  });
});

Deno.test("readJournal() skips a record torn by a crash before the zeros of a closed segment, and waits on the newest's", async () => {
  await withDir(async (dir) => {
    const a = encodeTriggerRecord(trigger(1));
    const b = encodeTriggerRecord(trigger(2));
    const zeros = "\0".repeat(4096);
    await Deno.writeTextFile(`${dir}/${segmentName(1)}`, `${a}\n${b.slice(0, 30)}${zeros}`);
    await Deno.writeTextFile(`${dir}/${segmentName(2)}`, `${b}\n${a.slice(0, 30)}${zeros}`);
    const read = await readJournal(dir, { segment: 0, offset: 0 });
    assert.deepEqual(read.records.map((r) => r.id), ["1:0", "2:0"]);
    assert.equal(read.skipped, 1);
    assert.deepEqual(read.to, { segment: 2, offset: b.length + 1 });
  });
});

Deno.test("segmentDataBytes() finds where the zeros written ahead of a segment's data begin", async () => {
  await withDir(async (dir) => {
    const line = encodeTriggerRecord(trigger(1));
    await using journal = await JournalWriter.open(dir, { maxBytes: 1024 ** 2 });
    const [empty] = await listSegments(dir);
    assert.equal(await segmentDataBytes(empty.path, empty.size), 0);
    for (let i = 1; i <= 3; i++) {
      await journal.append([line]);
      const [segment] = await listSegments(dir);
      assert.ok(segment.size > i * (line.length + 1));
      assert.equal(await segmentDataBytes(segment.path, segment.size), i * (line.length + 1));
    }
  });
});

Deno.test("JournalWriter.open() starts a fresh segment after the newest, never appending to a torn one", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/${segmentName(7)}`, "torn");
    await using journal = await JournalWriter.open(dir, { maxBytes: 1024 ** 2 });
    await journal.append([encodeTriggerRecord(trigger(3))]);
    assert.deepEqual((await listSegments(dir)).map((s) => s.number), [7, 8]);
  });
});

Deno.test("decodeTriggerRecord() refuses lines that are not well-formed triggers", () => {
  const good = JSON.parse(encodeTriggerRecord(trigger(1)));
  assert.ok(decodeTriggerRecord(JSON.stringify(good)));
  for (
    const bad of [
      "not json",
      "[]",
      JSON.stringify({ ...good, token_uuid: "" }),
      JSON.stringify({ ...good, occurred_at: "yesterday" }),
      JSON.stringify({ ...good, src_ip: "x".repeat(65) }),
      JSON.stringify({ ...good, headers: { a: 1 } }),
    ]
  ) {
    assert.equal(decodeTriggerRecord(bad), null, bad);
  }
});

Deno.test("decodeTriggerRecord() reads lines of older journals, which also named the token's kind and decky", () => {
  const line = JSON.parse(encodeTriggerRecord(trigger(1)));
  assert.equal("kind" in line, false, "the database supplies the token's kind and decky");
  const older = JSON.stringify({ ...line, kind: "http", decky: "ws-01" });
  assert.deepEqual(decodeTriggerRecord(older), trigger(1));
});

Deno.test("encodeTriggerRecord() leaves out headers that would make a line too long", () => {
  const headers: Record<string, string> = {};
  for (let i = 0; i < 100; i++) headers[`x-h${i}`] = "v".repeat(4000);
  const line = encodeTriggerRecord({ ...trigger(1), headers });
  assert.ok(new TextEncoder().encode(line).length <= 64 * 1024);
  assert.ok(decodeTriggerRecord(line));
});
