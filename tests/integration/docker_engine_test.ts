// What decnet's own Engine API client does on the wire, against the real dockerd:
// full-duplex exec, streamed (chunked) uploads, image names with a slash, logs.
// The client's everyday behaviour is in docker_client_test.ts.
import assert from "node:assert/strict";
import { type EngineClient, openDocker, tarStream } from "../../core/docker/mod.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage, TEST_IMAGE } from "../infra/test_image.ts";
import { waitUntil } from "../infra/wait_until.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test({
  name: "openDocker() speaks the Engine API to a real dockerd",
  ignore: dockerdUnavailable() !== undefined,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost }) as EngineClient;
    await buildTestImage(docker);
    const box = await docker.createContainer({
      image: TEST_IMAGE,
      name: "wire1",
      init: true,
      cmd: ["sh", "-c", "echo out-1; echo err-1 >&2; exec sleep 2147483647"],
    });
    await docker.startContainer(box);

    await t.step("exec() echoes 8 MiB through cat while it still writes stdin", async () => {
      // Far more than both directions' socket buffers: written before reading, it would hang.
      const stdin = new Uint8Array(8 << 20).map((_, i) => (i * 13) % 253);
      const result = await docker.exec(box, ["cat"], { stdin, timeoutMs: 60_000 });
      assert.equal(result.exitCode, 0, text(result.stderr));
      assert.equal(result.stdout.length, stdin.length);
      assert.ok(result.stdout.every((b, i) => b === stdin[i]), "stdout is stdin, byte for byte");
    });

    await t.step("copyToContainer() uploads a streamed archive in chunks", async () => {
      const dir = await Deno.makeTempDir();
      try {
        const file = `${dir}/big.bin`;
        const content = new Uint8Array(3 << 20).map((_, i) => i % 241);
        await Deno.writeFile(file, content);
        const archive = tarStream([
          { type: "dir", path: "up" },
          { type: "file", path: "up/big.bin", source: file, size: content.length },
          { type: "file", path: "up/note.txt", bytes: new TextEncoder().encode("note\n") },
        ]);
        await docker.copyToContainer(box, archive, { path: "/tmp" });
        const check = await docker.exec(box, [
          "sh",
          "-c",
          "wc -c < /tmp/up/big.bin; cat /tmp/up/note.txt",
        ]);
        assert.equal(text(check.stdout), `${content.length}\nnote\n`);
        const sum = await docker.exec(box, ["md5sum", "/tmp/up/big.bin"]);
        const expected = await new Deno.Command("md5sum", { args: [file] }).output();
        assert.equal(text(sum.stdout).split(" ")[0], text(expected.stdout).split(" ")[0]);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });

    await t.step(
      "importImage() and inspectImage() handle a repository name with a slash",
      async () => {
        const archive = tarStream([
          { type: "dir", path: "etc" },
          { type: "file", path: "etc/hostname", bytes: new TextEncoder().encode("slashed\n") },
        ]);
        const id = await docker.importImage(archive, {
          repo: "decoy/slashed",
          tag: "v1",
          changes: ['LABEL role="wire test"', "ENV A=1 B=two"],
        });
        assert.match(id, /^sha256:[0-9a-f]{64}$/);
        assert.equal(await docker.hasImage("decoy/slashed:v1"), true);
        const image = await docker.inspectImage("decoy/slashed:v1");
        assert.deepEqual(image?.repoTags, ["decoy/slashed:v1"]);
        assert.equal(image?.labels.role, "wire test");
        assert.ok(image?.env.includes("B=two"));
        assert.equal(await docker.inspectImage("decoy/absent:v1"), undefined);
      },
    );

    await t.step("containerLogs() and followLogs() read stdout and stderr apart", async () => {
      await waitUntil(async () => {
        const logs = await docker.containerLogs(box);
        return text(logs.stdout) === "out-1\n" && text(logs.stderr) === "err-1\n";
      }, { what: "both lines in the log" });
      const controller = new AbortController();
      const seen: string[] = [];
      for await (
        const entry of docker.followLogs(box, { stderr: true, signal: controller.signal })
      ) {
        assert.match(entry.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
        seen.push(entry.text);
        if (seen.length === 2) controller.abort();
      }
      assert.deepEqual(seen.sort(), ["err-1\n", "out-1\n"]);
    });

    await docker.removeContainer(box, { force: true });
  },
});
