import assert from "node:assert/strict";
import { parseConnectionRequest } from "../../../../core/sensor/rdp/parse_connection_request.ts";
import { connectionRequest } from "./_rdp_client.ts";

Deno.test("parseConnectionRequest() reads the mstshash cookie and RDP_NEG_REQ", () => {
  assert.deepEqual(
    parseConnectionRequest(
      connectionRequest({ cookie: "Cookie: mstshash=alice", protocols: 0x0b, flags: 8 }),
    ),
    {
      cookie: "Cookie: mstshash=alice",
      mstshash: "alice",
      negotiation: { flags: 8, requestedProtocols: 0x0b },
      correlationInfo: false,
    },
  );
});

Deno.test("parseConnectionRequest() keeps a routing token as the cookie without a user", () => {
  const request = parseConnectionRequest(
    connectionRequest({ cookie: "Cookie: msts=3640205228.15629.0000", protocols: 3 }),
  )!;
  assert.equal(request.cookie, "Cookie: msts=3640205228.15629.0000");
  assert.equal(request.mstshash, undefined);
});

Deno.test("parseConnectionRequest() notes mstsc's correlation info", () => {
  const base = connectionRequest({ protocols: 0x0b });
  const info = new Uint8Array(36);
  info.set([6, 0, 36, 0]);
  const packet = new Uint8Array(base.length + 36);
  packet.set(base);
  packet.set(info, base.length);
  packet[3] = packet.length;
  packet[4] = packet.length - 5;
  assert.equal(parseConnectionRequest(packet)?.correlationInfo, true);
});

Deno.test("parseConnectionRequest() refuses what Windows drops", async (t) => {
  const good = connectionRequest({ cookie: "Cookie: mstshash=a", protocols: 3 });
  const cases: [string, Uint8Array][] = [
    ["shorter than 11 bytes", good.slice(0, 10)],
    ["TPKT length not the packet's", Uint8Array.from([...good, 0])],
    ["X.224 length indicator wrong", Uint8Array.from(good, (b, i) => i === 4 ? b + 1 : b)],
    ["not a Connection Request", Uint8Array.from(good, (b, i) => i === 5 ? 0xf0 : b)],
    ["not class 0", Uint8Array.from(good, (b, i) => i === 10 ? 0x40 : b)],
    ["not TPKT version 3", Uint8Array.from(good, (b, i) => i === 0 ? 2 : b)],
    ["cookie without CRLF", connectionRequest({ cookie: "Cookie: mstshash=a" }).slice(0, -2)],
    [
      "RDP_NEG_REQ of a wrong length",
      Uint8Array.from(good, (b, i) => i === good.length - 6 ? 9 : b),
    ],
  ];
  for (const [name, packet] of cases) {
    await t.step(name, () => {
      if (name === "cookie without CRLF") {
        packet[3] = packet.length;
        packet[4] = packet.length - 5;
      }
      assert.equal(parseConnectionRequest(packet), undefined);
    });
  }
});
