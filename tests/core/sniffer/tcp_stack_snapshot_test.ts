import assert from "node:assert/strict";
import { mergeTcpSnapshot } from "../../../core/sniffer/mod.ts";
import { makeTcpFingerprint } from "../db/tcp_fingerprints_contract.ts";

Deno.test("mergeTcpSnapshot() starts a snapshot from the first event", () => {
  const event = makeTcpFingerprint({ repeats: 0 });
  const { repeats: _, ...rest } = event;
  assert.deepEqual(mergeTcpSnapshot(null, event), {
    ...rest,
    first_seen: event.occurred_at,
    transitions: 1,
    syn_count: 1,
  });
});

Deno.test("mergeTcpSnapshot() keeps a known class over a later unknown, per class", async (t) => {
  const known = mergeTcpSnapshot(
    null,
    makeTcpFingerprint({ ipid_class: "zero", ipid_samples: 8, isn_class: "unknown" }),
  );
  await t.step("unknown does not erase", () => {
    const next = mergeTcpSnapshot(
      known,
      makeTcpFingerprint({ ipid_class: "unknown", ipid_samples: 1 }),
    );
    assert.deepEqual([next.ipid_class, next.ipid_samples], ["zero", 8]);
  });
  await t.step("a known class replaces another", () => {
    const next = mergeTcpSnapshot(
      known,
      makeTcpFingerprint({ ipid_class: "random", ipid_samples: 5 }),
    );
    assert.deepEqual([next.ipid_class, next.ipid_samples], ["random", 5]);
  });
  await t.step("the other class moves on its own", () => {
    const next = mergeTcpSnapshot(
      known,
      makeTcpFingerprint({ isn_class: "incremental", isn_samples: 4, ipid_class: "unknown" }),
    );
    assert.deepEqual([next.ipid_class, next.isn_class], ["zero", "incremental"]);
  });
});

Deno.test("mergeTcpSnapshot() takes the latest fields and counts SYNs and changes", () => {
  const first = makeTcpFingerprint({ occurred_at: "2026-12-01T10:00:00.000Z" });
  const second = makeTcpFingerprint({
    os_guess: "nmap SYN scan",
    ttl: 44,
    repeats: 9,
    occurred_at: "2026-12-01T10:05:00.000Z",
  });
  const snapshot = mergeTcpSnapshot(mergeTcpSnapshot(null, first), second);
  assert.equal(snapshot.os_guess, "nmap SYN scan");
  assert.equal(snapshot.ttl, 44);
  assert.equal(snapshot.occurred_at, "2026-12-01T10:05:00.000Z");
  assert.equal(snapshot.first_seen, "2026-12-01T10:00:00.000Z");
  assert.equal(snapshot.transitions, 2);
  assert.equal(snapshot.syn_count, 1 + 1 + 9);
});
