import assert from "node:assert/strict";
import { swarmNatsNetAccess } from "../../../core/swarm/swarm_nats_net_access.ts";

const noLookup = (): Promise<never> => Promise.reject(new Error("no lookup for an address"));

Deno.test("swarmNatsNetAccess() grants an address with its port, without a lookup", async () => {
  assert.deepEqual(await swarmNatsNetAccess("tls://192.0.2.7:4222", noLookup), ["192.0.2.7:4222"]);
  assert.deepEqual(await swarmNatsNetAccess("tls://[2001:db8::7]:4222", noLookup), [
    "[2001:db8::7]:4222",
  ]);
});

Deno.test("swarmNatsNetAccess() grants a name whole and each address it resolves to, with the port", async () => {
  const lookup = (name: string) => {
    assert.equal(name, "nats.lan");
    return Promise.resolve([
      { address: "192.0.2.7", family: 4 },
      { address: "2001:db8::7", family: 6 },
      { address: "192.0.2.7", family: 4 },
    ]);
  };
  assert.deepEqual(await swarmNatsNetAccess("tls://nats.lan:4222", lookup), [
    "nats.lan",
    "192.0.2.7:4222",
    "[2001:db8::7]:4222",
  ]);
});
