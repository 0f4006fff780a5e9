import assert from "node:assert/strict";
import { ChannelError } from "../../../../core/alerts/channel_error.ts";
import { FileChannel } from "../../../../core/alerts/channels/file_channel.ts";
import { makeAlert } from "../make_alert.ts";

async function lines(path: string): Promise<Record<string, unknown>[]> {
  return (await Deno.readTextFile(path)).split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

Deno.test("FileChannel appends one masked JSON line per alert, file mode 0600", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/alerts.jsonl`;
  await using channel = new FileChannel({ type: "file", path, include_secrets: false });
  await channel.send(makeAlert({ id: "a" }));
  await channel.send(makeAlert({ id: "b" }));
  const got = await lines(path);
  assert.deepEqual(got.map((l) => l.id), ["a", "b"]);
  assert.deepEqual(got[0].credential, { secret_kind: "password", secret: "[masked]" });
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("FileChannel keeps secrets only when the channel includes them", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/alerts.jsonl`;
  await using channel = new FileChannel({ type: "file", path, include_secrets: true });
  await channel.send(makeAlert());
  assert.deepEqual((await lines(path))[0].credential, {
    secret_kind: "password",
    secret: "hunter2",
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("FileChannel never interleaves lines of concurrent sends", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/alerts.jsonl`;
  await using channel = new FileChannel({ type: "file", path, include_secrets: false });
  const big = "x".repeat(70_000);
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => channel.send(makeAlert({ id: `${i}`, summary: big }))),
  );
  assert.deepEqual(
    (await lines(path)).map((l) => l.id),
    Array.from({ length: 20 }, (_, i) => `${i}`),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("FileChannel follows a rotation: the next alert goes to a new file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/alerts.jsonl`;
  await using channel = new FileChannel({ type: "file", path, include_secrets: false });
  await channel.send(makeAlert({ id: "old" }));
  await Deno.rename(path, `${path}.1`);
  await channel.send(makeAlert({ id: "new" }));
  assert.deepEqual((await lines(path)).map((l) => l.id), ["new"]);
  assert.deepEqual((await lines(`${path}.1`)).map((l) => l.id), ["old"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("FileChannel failures are retryable ChannelErrors naming the path", async () => {
  const dir = await Deno.makeTempDir();
  await using channel = new FileChannel({
    type: "file",
    path: `${dir}/missing/alerts.jsonl`,
    include_secrets: false,
  });
  await assert.rejects(channel.send(makeAlert()), (e) => {
    assert.ok(e instanceof ChannelError);
    assert.equal(e.retryable, true);
    assert.match(e.reason, /missing\/alerts\.jsonl/);
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});
