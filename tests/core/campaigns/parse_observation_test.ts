import assert from "node:assert/strict";
import { parseObservation, parseObservationLines } from "../../../core/campaigns/mod.ts";

Deno.test("parseObservation() keeps present fields and leaves absent or null ones out", () => {
  assert.deepEqual(
    parseObservation({ ip: " 192.0.2.1 ", asn: null, ja3: null, extra: { any: 1 } }),
    {
      ip: "192.0.2.1",
    },
  );
  const full = {
    ip: "192.0.2.1",
    asn: 64500,
    ja3: ["j"],
    hassh: ["h"],
    tcp_fingerprint: "4:64+0:0:1460",
    tools: ["nmap"],
    credentials: [["root", "toor"]],
    payload_hashes: ["p"],
    c2_endpoints: ["c2.example.net:443"],
    kd_simhash: "0123456789abcdef",
    sessions: [["2026-03-02T10:00:00Z", "2026-03-02T11:00:00+01:00"]],
    phases: [{ decky: "dc01", phase: "discovery", at: "2026-03-02T10:30:00Z" }],
  };
  assert.deepEqual(parseObservation(full), full);
  assert.deepEqual(
    parseObservation({ ip: "192.0.2.1", ja3: "j" }).ja3,
    ["j"],
    "a lone string is a list of one",
  );
});

Deno.test("parseObservation() names the field and the value of a contract break", async (t) => {
  const cases: [unknown, RegExp][] = [
    [[1], /^TypeError: Expected a JSON object, got \[1\]$/],
    [{ ja3: ["j"] }, /^TypeError: ip: expected a non-empty string, got undefined$/],
    [{ ip: "a", asn: "AS64500" }, /^TypeError: asn: expected a whole number, got "AS64500"$/],
    [{ ip: "a", ja3: [5] }, /^TypeError: ja3\[0\]: expected a string, got 5$/],
    [{ ip: "a", hassh: { h: 1 } }, /^TypeError: hassh: expected a list, got \{"h":1\}$/],
    [{ ip: "a", kd_simhash: "xyz" }, /^TypeError: kd_simhash: expected 16 hex digits, got "xyz"$/],
    [
      { ip: "a", credentials: [["root"]] },
      /^TypeError: credentials\[0\]: expected \[user, secret\]/,
    ],
    [
      { ip: "a", sessions: [["2026-03-02T10:00:00Z"]] },
      /^TypeError: sessions\[0\]: expected \[start, end\]/,
    ],
    [
      { ip: "a", sessions: [["2026-03-02T10:00:00Z", "noon"]] },
      /^TypeError: sessions\[0\]\[1\]: expected an ISO 8601 time, got "noon"$/,
    ],
    [
      { ip: "a", sessions: [["2026-03-02T10:00:00Z", "2026-03-02T09:00:00Z"]] },
      /^TypeError: sessions\[0\]: end is before start/,
    ],
    [
      { ip: "a", phases: [{ decky: "dc01", at: "2026-03-02" }] },
      /^TypeError: phases\[0\]\.phase: expected a non-empty string, got undefined$/,
    ],
  ];
  for (const [value, error] of cases) {
    await t.step(JSON.stringify(value), () => assert.throws(() => parseObservation(value), error));
  }
});

Deno.test("parseObservationLines() skips blank lines and names the line of a bad one", () => {
  assert.deepEqual(
    parseObservationLines('{"ip":"192.0.2.1"}\n\n  \n{"ip":"192.0.2.2"}').map((o) => o.ip),
    [
      "192.0.2.1",
      "192.0.2.2",
    ],
  );
  assert.throws(
    () => parseObservationLines('{"ip":"192.0.2.1"}\n{"ip":'),
    /^SyntaxError: Line 2: not JSON/,
  );
  assert.throws(
    () => parseObservationLines('{"ip":"192.0.2.1"}\n\n{"ip":"192.0.2.3","tools":[1]}'),
    /^TypeError: Line 3: tools\[0\]: expected a string, got 1$/,
  );
});
