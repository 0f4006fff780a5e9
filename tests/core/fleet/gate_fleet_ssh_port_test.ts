import assert from "node:assert/strict";
import { gateFleetSshPort } from "../../../core/fleet/gate_fleet_ssh_port.ts";
import { FakeDocker } from "../orchestrator/_fake_docker.ts";

const result = (exitCode: number, stdout = "", stderr = "") => ({
  exitCode,
  stdout: new TextEncoder().encode(stdout),
  stderr: new TextEncoder().encode(stderr),
});

Deno.test("gateFleetSshPort() refuses a peer that is not an IPv4 address, before Docker is asked", async () => {
  const docker = new FakeDocker();
  await assert.rejects(
    gateFleetSshPort(docker, "ws-02", { peers: ["192.0.2.11 } ; flush ruleset ; {"] }),
    (e) =>
      e instanceof RangeError &&
      /peer is not an IPv4 address, got "192\.0\.2\.11 }/.test(e.message),
  );
  assert.deepEqual(docker.created, []);
});

Deno.test("gateFleetSshPort() loads the rules in a helper of the decky's image, and removes it", async () => {
  const docker = new FakeDocker();
  docker.answer = () => result(0, "closed\n");
  assert.equal(await gateFleetSshPort(docker, "ws-02"), "closed");
  assert.deepEqual(docker.created.map((c) => [c.image, c.networkMode, c.capAdd, c.entrypoint]), [
    ["image-of-ws-02", "container:ws-02", ["NET_ADMIN"], ["sleep", "infinity"]],
  ]);
  const rules = docker.execs[0].argv[4];
  assert.match(rules, /tcp dport 2222 ip saddr != @ssh_peers drop/);
  assert.doesNotMatch(rules, /add element/, "no peer: nobody let through");
  assert.deepEqual(docker.removed, ["created-1"]);
});

Deno.test("gateFleetSshPort() reports unavailable when the image has no nft", async () => {
  const docker = new FakeDocker();
  docker.answer = () => result(3);
  assert.equal(await gateFleetSshPort(docker, "ws-02", { peers: ["192.0.2.11"] }), "unavailable");
  assert.deepEqual(docker.removed, ["created-1"]);
});

Deno.test("gateFleetSshPort() names the decky and nft's complaint when the rules fail, and removes its helper", async () => {
  const docker = new FakeDocker();
  docker.answer = () => result(1, "", "Error: Could not process rule: Operation not supported");
  await assert.rejects(
    gateFleetSshPort(docker, "ws-02", { peers: ["192.0.2.11"] }),
    /Cannot gate the ssh fleet port of ws-02: exit 1, got "Error: Could not process rule/,
  );
  assert.deepEqual(docker.removed, ["created-1"]);
});
