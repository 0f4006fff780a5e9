import assert from "node:assert/strict";
import { AsnTable } from "../../../core/attackers/asn_table.ts";
import { foldAttackerEvents } from "../../../core/db/mod.ts";
import { makeSensorEvent } from "../db/attackers_contract.ts";

// The ip2asn format, as operators download it once and copy to an air-gapped host.
const TABLE = [
  "198.51.100.0\t198.51.100.127\t64500\tZZ\tEXAMPLE-NET-A",
  "198.51.100.128\t198.51.100.255\t64501\tYY\tEXAMPLE NET B",
  "203.0.113.0\t203.0.113.255\t0\tNone\tNot routed",
  "2001:db8::\t2001:db8:ffff:ffff:ffff:ffff:ffff:ffff\t64502\tNone\tDOC-V6",
  "",
].join("\n");

Deno.test("AsnTable.lookup() finds the range holding an address, IPv4 and IPv6", () => {
  const table = AsnTable.parse(TABLE);
  assert.equal(table.size, 3);
  assert.deepEqual(table.lookup("198.51.100.7"), {
    asn: 64500,
    name: "EXAMPLE-NET-A",
    country: "ZZ",
  });
  assert.equal(table.lookup("198.51.100.128")?.asn, 64501);
  assert.equal(table.lookup("198.51.100.255")?.name, "EXAMPLE NET B");
  assert.equal(table.lookup("203.0.113.9"), undefined, "AS 0 is not routed: no AS");
  assert.equal(table.lookup("192.0.2.1"), undefined);
  assert.deepEqual(table.lookup("2001:db8::42"), { asn: 64502, name: "DOC-V6", country: "" });
  assert.equal(table.lookup("garbage"), undefined);
});

Deno.test("AsnTable.parse() names the line it cannot read", () => {
  assert.throws(() => AsnTable.parse("198.51.100.0\t2001:db8::\t1\tZZ\tX"), /line 1/);
  assert.throws(() => AsnTable.parse("# comment\nnot a range"), /line 2/);
});

Deno.test("foldAttackerEvents() keeps the first AS an event carries", () => {
  const asn = { asn: 64500, name: "EXAMPLE-NET-A", country: "ZZ" };
  const totals = foldAttackerEvents(undefined, "198.51.100.7", [
    makeSensorEvent({ src_ip: "198.51.100.7", asn }),
    makeSensorEvent({ src_ip: "198.51.100.7", asn: { asn: 1, name: "forged", country: "" } }),
  ]);
  assert.deepEqual(totals.rollup.asn, asn);
  assert.equal(
    foldAttackerEvents(undefined, "192.0.2.9", [makeSensorEvent()]).rollup.asn,
    undefined,
  );
});
