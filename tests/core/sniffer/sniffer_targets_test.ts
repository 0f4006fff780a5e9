import assert from "node:assert/strict";
import { parseSnifferTargets, writeSnifferTargets } from "../../../core/sniffer/sniffer_targets.ts";

Deno.test("writeSnifferTargets() writes a sorted snapshot once and reports no change after", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/spool/targets.json`;
    const targets = [{ name: "b", ip: "192.0.2.11" }, { name: "a", ip: "192.0.2.10" }];
    assert.equal(await writeSnifferTargets(path, targets), true);
    assert.equal(await writeSnifferTargets(path, [...targets].reverse()), false);
    assert.deepEqual(parseSnifferTargets(await Deno.readTextFile(path)), [
      { name: "a", ip: "192.0.2.10" },
      { name: "b", ip: "192.0.2.11" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseSnifferTargets() leaves out entries that are not a name and an IPv4 address", () => {
  const text = JSON.stringify({
    deckies: [
      { name: "ok", ip: "192.0.2.10" },
      { name: "v6", ip: "2001:db8::1" },
      { name: "inject", ip: "192.0.2.1 or tcp" },
      { ip: "192.0.2.12" },
      "192.0.2.13",
    ],
  });
  assert.deepEqual(parseSnifferTargets(text), [{ name: "ok", ip: "192.0.2.10" }]);
});

Deno.test("parseSnifferTargets() refuses a file that is not a snapshot", () => {
  assert.throws(() => parseSnifferTargets("{"), SyntaxError);
  assert.throws(() => parseSnifferTargets('{"tokens":[]}'), SyntaxError);
});

Deno.test("parseSnifferTargets() keeps an interface name and drops anything else there", () => {
  const text = JSON.stringify({
    deckies: [
      { name: "mv", ip: "192.0.2.10", interface: "eth1.20" },
      { name: "long", ip: "192.0.2.11", interface: "a-name-over-15-chars" },
      { name: "odd", ip: "192.0.2.12", interface: "eth1 or tcp" },
      { name: "num", ip: "192.0.2.13", interface: 7 },
    ],
  });
  assert.deepEqual(parseSnifferTargets(text), [
    { name: "mv", ip: "192.0.2.10", interface: "eth1.20" },
    { name: "long", ip: "192.0.2.11" },
    { name: "odd", ip: "192.0.2.12" },
    { name: "num", ip: "192.0.2.13" },
  ]);
});
