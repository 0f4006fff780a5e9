import assert from "node:assert/strict";
import { networkHostInterface } from "../../../core/sniffer/network_host_interface.ts";

const ID = "9f3c2a7d41b0e6c58d2f";

Deno.test("networkHostInterface() names a bridge network's Linux bridge", () => {
  assert.equal(networkHostInterface({ id: ID, driver: "bridge", options: {} }), "br-9f3c2a7d41b0");
  assert.equal(
    networkHostInterface({
      id: ID,
      driver: "bridge",
      options: { "com.docker.network.bridge.name": "docker0" },
    }),
    "docker0",
  );
});

Deno.test("networkHostInterface() names a macvlan or ipvlan network's parent", () => {
  for (const driver of ["macvlan", "ipvlan"]) {
    assert.equal(
      networkHostInterface({ id: ID, driver, options: { parent: "eth1", macvlan_mode: "bridge" } }),
      "eth1",
    );
  }
});

Deno.test("networkHostInterface() is null where no host interface carries the traffic", () => {
  // Docker gives a macvlan without parent a dummy link: nothing crosses the host's wire.
  assert.equal(networkHostInterface({ id: ID, driver: "macvlan", options: {} }), null);
  for (const driver of ["host", "null", "overlay"]) {
    assert.equal(networkHostInterface({ id: ID, driver, options: {} }), null);
  }
});
