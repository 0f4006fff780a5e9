import assert from "node:assert/strict";
import {
  DockerApiError,
  type DockerClient,
  DockerTimeoutError,
  DockerUnreachableError,
  openDocker,
  shellScript,
} from "../../core/docker/mod.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE } from "../infra/test_image.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const LABEL = "test.owner";

async function startBox(docker: DockerClient, name: string, labels: Record<string, string> = {}) {
  const id = await docker.createContainer({
    image: TEST_IMAGE,
    name,
    init: true,
    labels: { [LABEL]: "docker_exec_test", ...labels },
  });
  await docker.startContainer(id);
  return id;
}

Deno.test({
  name: "EngineClient works against a real dockerd",
  ignore: dockerdUnavailable() !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    await docker.ping();

    await t.step("importImage() imports a busybox rootfs tarball", async () => {
      assert.equal(await docker.hasImage(TEST_IMAGE), false);
      assert.equal(await buildTestImage(docker), TEST_IMAGE);
      assert.equal(await docker.hasImage(TEST_IMAGE), true);
    });

    const box = await startBox(docker, "box1", { role: "main" });

    await t.step(
      "createContainer() and inspectContainer() report init, labels, state",
      async () => {
        const details = await docker.inspectContainer("box1");
        assert.ok(details);
        assert.equal(details.id, box);
        assert.equal(details.name, "box1");
        assert.equal(details.running, true);
        assert.equal(details.init, true);
        assert.equal(details.networkMode, "none");
        assert.equal(details.labels.role, "main");
        assert.ok(details.pid > 0);
        assert.equal(await docker.inspectContainer("no-such-box"), undefined);
      },
    );

    await t.step("exec() separates stdout and stderr and returns the exit code", async () => {
      const result = await docker.exec(box, ["sh", "-c", "echo out; echo err >&2; exit 7"]);
      assert.equal(result.exitCode, 7);
      assert.equal(text(result.stdout), "out\n");
      assert.equal(text(result.stderr), "err\n");
      const ok = await docker.exec(box, ["true"]);
      assert.deepEqual(ok, { exitCode: 0, stdout: new Uint8Array(), stderr: new Uint8Array() });
    });

    await t.step("exec() passes stdin bytes and closes stdin", async (t) => {
      await t.step("bytes", async () => {
        const payload = new Uint8Array(4096).map((_, i) => i % 251);
        const result = await docker.exec(box, ["cat"], { stdin: payload });
        assert.equal(result.exitCode, 0);
        assert.deepEqual(new Uint8Array(result.stdout), payload);
      });
      await t.step("string", async () => {
        const result = await docker.exec(box, ["wc", "-c"], { stdin: "hello" });
        assert.equal(text(result.stdout).trim(), "5");
      });
      await t.step("empty", async () => {
        const result = await docker.exec(box, ["cat"], { stdin: new Uint8Array() });
        assert.equal(result.stdout.length, 0);
      });
      await t.step("process exits without reading it", async () => {
        const result = await docker.exec(box, ["sh", "-c", "exit 3"], {
          stdin: new Uint8Array(1 << 20),
        });
        assert.equal(result.exitCode, 3);
      });
    });

    await t.step("exec() streams stdin from a ReadableStream", async () => {
      const parts = 64;
      const chunk = new Uint8Array(16 * 1024).fill(0x61);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < parts; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const result = await docker.exec(box, [
        "sh",
        "-c",
        "cat > /tmp/streamed; wc -c < /tmp/streamed",
      ], {
        stdin: stream,
      });
      assert.equal(result.exitCode, 0);
      assert.equal(text(result.stdout).trim(), String(parts * chunk.length));
    });

    await t.step("exec() returns large output intact", async () => {
      const result = await docker.exec(box, ["sh", "-c", "head -c 3000000 /dev/zero"]);
      assert.equal(result.stdout.length, 3_000_000);
    });

    await t.step(
      "exec() kills the process and throws DockerTimeoutError past its limit",
      async () => {
        await assert.rejects(
          docker.exec(box, ["sleep", "30"], { timeoutMs: 1000 }),
          (e) => e instanceof DockerTimeoutError && e.killed && e.timeoutMs === 1000,
        );
        await assert.rejects(
          docker.exec(box, ["sh", "-c", "while true; do sleep 1; done"], { timeoutMs: 1000 }),
          (e) => e instanceof DockerTimeoutError && e.killed,
        );
        const ps = await docker.exec(box, ["ps", "-o", "args"]);
        assert.doesNotMatch(text(ps.stdout), /sleep 30|while true/);
      },
    );

    await t.step("exec() rejects with the caller's reason when its signal aborts", async () => {
      const controller = new AbortController();
      const running = docker.exec(box, ["sleep", "30"], { signal: controller.signal });
      controller.abort(new Error("stop now"));
      await assert.rejects(running, /stop now/);
    });

    await t.step(
      "shellScript() passes hostile strings verbatim as positional parameters",
      async () => {
        const path =
          `/tmp/it's a "file" $(touch /pwned) \`touch /pwned2\`\nline2; rm -rf ~ & echo *`;
        const result = await docker.exec(
          box,
          shellScript('mkdir -p "$(dirname "$1")" && printf %s "$2" > "$1" && cat "$1"', [
            path,
            "$(id) ; *",
          ]),
        );
        assert.equal(result.exitCode, 0, text(result.stderr));
        assert.match(text(result.stdout), /^\$\(id\) ; \*/);
        assert.doesNotMatch(text(result.stdout), /pwned/);
        const check = await docker.exec(box, ["cat", path]);
        assert.equal(text(check.stdout), "$(id) ; *");
        const pwned = await docker.exec(box, ["ls", "/pwned", "/pwned2"]);
        assert.notEqual(pwned.exitCode, 0);
        assert.equal((await docker.exec(box, ["ls", "/bin/sh"])).exitCode, 0);
      },
    );

    await t.step("exec() throws DockerApiError for a missing or stopped container", async () => {
      await assert.rejects(
        docker.exec("no-such-box", ["true"]),
        (e) => e instanceof DockerApiError && e.status === 404,
      );
      const stopped = await docker.createContainer({ image: TEST_IMAGE, name: "stopped1" });
      await assert.rejects(
        docker.exec(stopped, ["true"]),
        (e) => e instanceof DockerApiError && e.status === 409,
      );
      await docker.removeContainer(stopped);
    });

    await t.step("listContainers() filters by label", async () => {
      const other = await startBox(docker, "box2", { role: "side" });
      const all = await docker.listContainers({ labels: { [LABEL]: "docker_exec_test" } });
      assert.deepEqual(all.map((c) => c.names[0]).sort(), ["box1", "box2"]);
      const side = await docker.listContainers({ labels: { role: "side" } });
      assert.deepEqual(side.map((c) => c.id), [other]);
      assert.equal(side[0].state, "running");
      const anyRole = await docker.listContainers({ labels: { role: true } });
      assert.equal(anyRole.length, 2);
      assert.deepEqual(await docker.listContainers({ labels: { role: "none" } }), []);
    });

    await t.step("stopContainer() and removeContainer() end a container", async () => {
      await docker.stopContainer("box2");
      await docker.stopContainer("box2"); // already stopped is fine
      assert.equal((await docker.inspectContainer("box2"))?.running, false);
      await docker.removeContainer("box2");
      assert.equal(await docker.inspectContainer("box2"), undefined);
      await assert.rejects(
        docker.removeContainer("box2"),
        (e) => e instanceof DockerApiError && e.status === 404,
      );
    });

    await t.step(
      "createNetwork() makes a bridge that containers share by IP and namespace",
      async () => {
        const net = await docker.createNetwork({
          name: "lan1",
          subnet: "192.0.2.0/24",
          labels: { [LABEL]: "docker_exec_test" },
        });
        const listed = await docker.listNetworks({ labels: { [LABEL]: "docker_exec_test" } });
        assert.deepEqual(listed.map((n) => [n.id, n.driver, n.subnets]), [[
          net,
          "bridge",
          ["192.0.2.0/24"],
        ]]);
        const server = await docker.createContainer({
          image: TEST_IMAGE,
          name: "server1",
          init: true,
          networkMode: "lan1",
          ipv4Address: "192.0.2.10",
          cmd: ["nc", "-ll", "-p", "22", "-e", "echo", "SSH-2.0-OpenSSH_9.2"],
        });
        await docker.startContainer(server);
        const sidecar = await docker.createContainer({
          image: TEST_IMAGE,
          name: "sidecar1",
          init: true,
          networkMode: `container:${server}`,
        });
        await docker.startContainer(sidecar);
        const details = await docker.inspectContainer(server);
        assert.equal(details?.networks.lan1.ipAddress, "192.0.2.10");
        const client = await docker.createContainer({
          image: TEST_IMAGE,
          name: "client1",
          init: true,
          networkMode: "lan1",
        });
        await docker.startContainer(client);
        // The sidecar sees the server's interface; the client reaches the listener by IP.
        const addr = await docker.exec(sidecar, ["ip", "-4", "addr", "show", "eth0"]);
        assert.match(text(addr.stdout), /192\.0\.2\.10\//);
        const banner = await docker.exec(client, ["nc", "-w", "2", "192.0.2.10", "22"], {
          stdin: "",
        });
        assert.equal(text(banner.stdout), "SSH-2.0-OpenSSH_9.2\n");
        for (const id of [client, sidecar, server]) {
          await docker.removeContainer(id, { force: true });
        }
        await docker.removeNetwork(net);
        assert.deepEqual(
          await docker.listNetworks({ labels: { [LABEL]: "docker_exec_test" } }),
          [],
        );
      },
    );

    await t.step(
      "openDocker() reports a socket with nothing listening as unreachable",
      async () => {
        const dir = await Deno.makeTempDir();
        try {
          await using nowhere = openDocker({
            dockerHost: `unix://${dir}/none.sock`,
            timeoutMs: 2000,
          });
          await assert.rejects(nowhere.ping(), DockerUnreachableError);
          await assert.rejects(nowhere.exec("box1", ["true"]), DockerUnreachableError);
          await assert.rejects(nowhere.inspectContainer("box1"), DockerUnreachableError);
          // A socket file nobody accepts on (refused), as a crashed daemon leaves behind.
          const listener = Deno.listen({ transport: "unix", path: `${dir}/stale.sock` });
          listener.close();
          await using stale = openDocker({ dockerHost: `unix://${dir}/stale.sock` });
          await assert.rejects(stale.listContainers(), DockerUnreachableError);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      },
    );

    await t.step(
      "exec() reports a stopped daemon as unreachable, not as a failed command",
      async () => {
        await daemon.close();
        await assert.rejects(docker.exec(box, ["true"]), DockerUnreachableError);
        await assert.rejects(docker.ping(), DockerUnreachableError);
      },
    );
  },
});
