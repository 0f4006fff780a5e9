import assert from "node:assert/strict";
import { parseDockerHost } from "../../../core/docker/mod.ts";

Deno.test("parseDockerHost() reads unix and tcp endpoints", () => {
  assert.deepEqual(parseDockerHost("unix:///var/run/docker.sock"), {
    kind: "unix",
    socketPath: "/var/run/docker.sock",
  });
  assert.deepEqual(parseDockerHost("tcp://192.0.2.10:2375"), {
    kind: "tcp",
    host: "192.0.2.10",
    port: 2375,
  });
  assert.deepEqual(parseDockerHost("tcp://[2001:db8::1]:2375/"), {
    kind: "tcp",
    host: "2001:db8::1",
    port: 2375,
  });
});

Deno.test("parseDockerHost() throws SyntaxError for other forms", async (t) => {
  for (
    const bad of [
      "",
      "/var/run/docker.sock",
      "unix://relative",
      "tcp://host",
      "tcp://h:0",
      "ssh://h",
    ]
  ) {
    await t.step(`when given "${bad}"`, () => {
      assert.throws(() => parseDockerHost(bad), SyntaxError);
    });
  }
});
