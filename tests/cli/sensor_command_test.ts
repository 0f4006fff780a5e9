import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ConnReader } from "../../core/sensor/conn_reader.ts";
import { findBinary } from "../infra/find_binary.ts";
import { freePort } from "../infra/free_port.ts";
import { runDecnet } from "../infra/run_decnet.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

Deno.test("decnet sensor exits 2 naming the field of bad usage", async (t) => {
  const cases: [string[], RegExp][] = [
    [["sensor", "--decky", "a"], /--services is required/],
    [["sensor", "--services", "nosuch", "--decky", "a"], /services expected one of .*got "nosuch"/],
    [["sensor", "--services", "nosuch", "--decky", "A B"], /decky expected a-z/],
    [
      ["sensor", "--services", "nosuch", "--decky", "a", "--config", "{not json"],
      /--config expected JSON/,
    ],
    [
      ["sensor", "--services", "nosuch", "--decky", "a", "--config", "/nonexistent/x.json"],
      /--config expected JSON or a readable file, got "\/nonexistent\/x.json"/,
    ],
    [
      ["sensor", "--services", "telnet", "--decky", "a", "--control", "run/netd"],
      /control expected an absolute path, got "run\/netd"/,
    ],
  ];
  for (const [args, error] of cases) {
    await t.step(args.join(" "), async () => {
      const run = await runDecnet(args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, error);
      assert.equal(run.stdout, "", "stdout carries events only");
    });
  }
});

Deno.test("decnet sensor image exits 2 from a source checkout without --program", async () => {
  const run = await runDecnet(["sensor", "image"], { env: { DOCKER_HOST: "unix:///nonexistent" } });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--program expected a bundle/);
});

Deno.test("decnet sensor --control ends the session a kill-<session> file names", async () => {
  const control = await Deno.makeTempDir();
  const cwd = await Deno.makeTempDir();
  const port = freePort();
  await using sensor = spawnDecnet([
    "sensor",
    "--services",
    "ftp",
    "--decky",
    "ws-01",
    "--config",
    JSON.stringify({ ftp: { port } }),
    "--control",
    control,
  ], { cwd });
  try {
    await waitUntil(() => listening(port), { timeoutMs: 60_000 });
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      const reader = new ConnReader(conn);
      assert.match((await reader.readLine(512))!, /^220 /);
      const ours = (e: { kind: string; src_port: number }) =>
        e.src_port === (conn.localAddr as Deno.NetAddr).port;
      const events = () => sensor.lines.map((l) => JSON.parse(l));
      await waitUntil(() => events().some((e) => e.kind === "connect" && ours(e)));
      const session = events().find((e) => e.kind === "connect" && ours(e)).session;
      // What `decnet session kill` makes Docker do: an empty file in the control folder.
      await Deno.writeTextFile(`${control}/kill-${session}`, "");
      assert.equal(await reader.readSome(), null, "the client's connection ends");
      await waitUntil(() => events().some((e) => e.kind === "disconnect" && ours(e)));
      const disconnect = events().find((e) => e.kind === "disconnect" && ours(e));
      assert.equal(disconnect.session, session);
      assert.equal(disconnect.reason, "killed");
    } finally {
      conn.close();
    }
  } finally {
    await sensor.close();
    await Deno.remove(control, { recursive: true });
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("decnet session kill exits 2 for a session id that is not one", async () => {
  const run = await runDecnet(["session", "kill", "../etc", "--decky", "ws-01"], {
    env: { DOCKER_HOST: "unix:///nonexistent" },
  });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /session expected letters, digits and "-" \(1-64\), got "..\/etc"/);
});

Deno.test({
  name:
    "decnet sensor --control marks an SSH session benign once a trust-<key sha256> file names its key",
  ignore: !findBinary("ssh") || !findBinary("ssh-keygen"),
  async fn() {
    const control = await Deno.makeTempDir();
    const cwd = await Deno.makeTempDir();
    const port = freePort();
    await using sensor = spawnDecnet([
      "sensor",
      "--services",
      "ssh",
      "--decky",
      "ws-01",
      "--config",
      JSON.stringify({ ssh: { port } }),
      "--control",
      control,
    ], { cwd });
    try {
      const key = `${cwd}/id_ed25519`;
      const made = await new Deno.Command("ssh-keygen", {
        args: ["-q", "-t", "ed25519", "-N", "", "-f", key],
      }).output();
      assert.ok(made.success);
      const blob = Uint8Array.from(
        atob((await Deno.readTextFile(`${key}.pub`)).split(" ")[1]),
        (c) => c.charCodeAt(0),
      );
      // What the orchestrator makes Docker do before its session: name the persona's key.
      await Deno.writeTextFile(
        `${control}/trust-${createHash("sha256").update(blob).digest("hex")}`,
        "",
      );
      const login = () =>
        new Deno.Command("ssh", {
          args: [
            ...["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"],
            ...["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-i", key],
            ...["-p", String(port), "ana@127.0.0.1", "id"],
          ],
          stdout: "null",
          stderr: "null",
        }).output();
      await waitUntil(() => listening(port), { timeoutMs: 60_000 });
      const events = () => sensor.lines.map((l) => JSON.parse(l));
      // The folder is read once a second: log in until the sensor has taken the key.
      await waitUntil(async () => {
        const before = sensor.lines.length;
        await login();
        await waitUntil(() => sensor.lines.slice(before).some((l) => l.includes('"disconnect"')));
        return events().slice(before).some((e) => e.kind === "auth_attempt" && e.benign === true);
      }, { timeoutMs: 60_000, what: "a benign auth_attempt" });
      // The session's own disconnect may come after the line the loop above stopped at.
      await waitUntil(() => events().some((e) => e.kind === "disconnect" && e.benign === true));
      const benign = events().filter((e) => e.benign === true);
      assert.deepEqual(
        [...new Set(benign.map((e) => e.kind))].sort(),
        ["auth_attempt", "credential", "disconnect"],
      );
    } finally {
      await sensor.close();
      await Deno.remove(control, { recursive: true });
      await Deno.remove(cwd, { recursive: true });
    }
  },
});

async function listening(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.ConnectionRefused) return false;
    throw e;
  }
}
