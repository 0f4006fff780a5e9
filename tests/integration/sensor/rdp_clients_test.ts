import assert from "node:assert/strict";
import type { SensorEvent } from "../../../core/sensor/sensor_event.ts";
import { findBinary } from "../../infra/find_binary.ts";
import { createNetns, netnsUnavailable } from "../../infra/netns.ts";
import { spawnDecnet } from "../../infra/spawn_decnet.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { assertV2LineCracks } from "../../core/sensor/ntlmssp/_ntlm_fixtures.ts";

// Debian's interpreter: impacket is a Debian package (python3-impacket).
const PYTHON = "/usr/bin/python3";
const RDP_CHECK = "/usr/share/doc/python3-impacket/examples/rdp_check.py";
const MAIN = new URL("../../../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../../../deno.json", import.meta.url).pathname;
const PASSWORD = "Autumn2026!";

const unavailable = netnsUnavailable() ??
  (!findBinary("xfreerdp")
    ? "xfreerdp not installed (Debian package freerdp2-x11)"
    : !findBinary("xvfb-run")
    ? "xvfb-run not installed (Debian package xvfb)"
    : !exists(RDP_CHECK)
    ? "rdp_check.py not installed (Debian package python3-impacket)"
    : undefined);

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command("timeout", {
    args: ["60", command, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code, output: text.decode(stdout) + text.decode(stderr) };
}

async function reachable(hostname: string, port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname, port })).close();
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.ConnectionRefused) return false;
    throw e;
  }
}

Deno.test({
  name:
    "decnet sensor's rdp on 3389 records xfreerdp's and rdp_check.py's NLA logons, refuses them, and is Microsoft Terminal Services to nmap",
  ignore: unavailable !== undefined,
  async fn(t) {
    await using netns = await createNetns();
    const cwd = await Deno.makeTempDir();
    await using _cwd = { [Symbol.asyncDispose]: () => Deno.remove(cwd, { recursive: true }) };
    // rdp_check.py only speaks to port 3389: the sensor gets a namespace of its own to hold it.
    await using sensor = spawnDecnet(
      ["sensor", "--services", "rdp", "--decky", "ts01", "--config", '{"rdp":{"hostname":"ts01"}}'],
      {
        cwd,
        command: [
          "ip",
          "netns",
          "exec",
          netns.name,
          Deno.execPath(),
          "run",
          "--quiet",
          "--allow-all",
          "--config",
          CONFIG,
          MAIN,
        ],
      },
    );
    await waitUntil(() => reachable(netns.nsAddress, 3389), { timeoutMs: 60_000 });
    const events = () => sensor.lines.map((l) => JSON.parse(l) as SensorEvent);
    const sessionOf = async (before: number) => {
      await waitUntil(() => events().slice(before).some((e) => e.kind === "disconnect"));
      return events().slice(before);
    };

    await t.step("xfreerdp /auth-only: ERRCONNECT_LOGON_FAILURE, NetNTLMv2 recorded", async () => {
      const before = sensor.lines.length;
      const { output } = await run("xvfb-run", [
        "-a",
        "xfreerdp",
        `/v:${netns.nsAddress}:3389`,
        "/u:alice",
        `/p:${PASSWORD}`,
        "/cert:ignore",
        "+auth-only",
      ]);
      assert.match(output, /ERRCONNECT_LOGON_FAILURE/);
      const seen = await sessionOf(before);
      const request = seen.find((e) => e.kind === "request")!;
      assert.equal(request.username, "alice");
      assert.equal(request.src_ip, netns.hostAddress, "the real peer, not a loopback pipe");
      const attempt = seen.find((e) => e.kind === "auth_attempt")!;
      assert.deepEqual([attempt.username, attempt.method, attempt.accepted], [
        "alice",
        "ntlmssp",
        false,
      ]);
      const credential = seen.find((e) => e.kind === "credential")!;
      assert.equal(credential.secret_kind, "ntlmssp_v2");
      assert.equal(credential.hashcat_mode, 5600);
      assertV2LineCracks(credential.hashcat_line as string, PASSWORD);
    });

    await t.step(
      "rdp_check.py: NetNTLMv2 with its domain recorded, logon not granted",
      async () => {
        const before = sensor.lines.length;
        const { output } = await run(PYTHON, [
          RDP_CHECK,
          `CORP/bob:${PASSWORD}@${netns.nsAddress}`,
        ]);
        assert.doesNotMatch(output, /Access Granted/);
        const seen = await sessionOf(before);
        const credential = seen.find((e) => e.kind === "credential")!;
        assert.equal(credential.username, "bob");
        assert.equal(credential.domain, "CORP");
        assertV2LineCracks(credential.hashcat_line as string, PASSWORD);
      },
    );

    await t.step("nmap -sV: Microsoft Terminal Services", async () => {
      const { output } = await run("nmap", ["-sV", "-Pn", "-n", "-p", "3389", netns.nsAddress]);
      assert.match(output, /3389\/tcp\s+open\s+ms-wbt-server\s+Microsoft Terminal Services/);
    });
  },
});
