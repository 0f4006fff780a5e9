import assert from "node:assert/strict";
import type { SensorEvent } from "../../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../../core/sensor/serve_sensor.ts";
import { smbService } from "../../../core/sensor/smb/smb_service.ts";
import { findBinary } from "../../infra/find_binary.ts";
import { freePort } from "../../infra/free_port.ts";
import { sambaUnavailable, startSamba } from "../../infra/samba.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { assertV2LineCracks } from "../../core/sensor/ntlmssp/_ntlm_fixtures.ts";

// Debian's interpreter: impacket is a Debian package (python3-impacket).
const PYTHON = "/usr/bin/python3";
const IMPACKET_EXAMPLES = "/usr/share/doc/python3-impacket/examples";
const PASSWORD = "Secret123";

const unavailable = !findBinary("smbclient")
  ? "smbclient not installed (Debian package smbclient)"
  : await hasImpacket()
  ? sambaUnavailable()
  : "impacket not installed (Debian package python3-impacket)";

async function hasImpacket(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(PYTHON, {
      args: ["-c", "import impacket.smbconnection"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function run(command: string, args: string[]): Promise<string> {
  const { stdout, stderr } = await new Deno.Command("timeout", {
    args: ["30", command, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
}

function smbclient(port: number, ...args: string[]): Promise<string> {
  return run("smbclient", ["-L", "//127.0.0.1", "-p", String(port), ...args]);
}

// impacket's own client (the code behind its smbclient.py, which only takes ports 139/445).
const IMPACKET_LOGIN = `
import sys
from impacket.smbconnection import SMBConnection, SessionError
try:
    SMBConnection('127.0.0.1', '127.0.0.1', sess_port=int(sys.argv[1])).login(sys.argv[2], sys.argv[3], 'WORKGROUP')
    print('logged in')
except SessionError as e:
    print(e.getErrorString()[0])
`;

Deno.test({
  name: "smbService records real clients' NTLMSSP logins and refuses them as Samba does",
  ignore: unavailable !== undefined,
  async fn(t) {
    await using samba = await startSamba();
    const events: SensorEvent[] = [];
    await using sensor = serveSensor({
      decky: "files01",
      hostname: "127.0.0.1",
      services: [{ service: smbService, options: { port: 0, hostname: "files01" } }],
      sink: (e) => events.push(e),
    });
    const port = sensor.ports.get("smb")!;
    const credentialsOf = async (session: () => Promise<unknown>) => {
      const before = events.length;
      await session();
      await waitUntil(() => events.slice(before).some((e) => e.kind === "disconnect"));
      return events.slice(before);
    };

    await t.step("smbclient -U alice: NetNTLMv2 line the password reproduces", async () => {
      let output = "";
      const seen = await credentialsOf(async () => {
        output = await smbclient(port, "-U", `alice%${PASSWORD}`);
      });
      assert.match(output, /NT_STATUS_LOGON_FAILURE/);
      assert.match(
        await smbclient(samba.port, "-U", `alice%${PASSWORD}`),
        /NT_STATUS_LOGON_FAILURE/,
      );
      const attempt = seen.find((e) => e.kind === "auth_attempt")!;
      assert.equal(attempt.username, "alice");
      assert.equal(attempt.method, "ntlmssp");
      assert.equal(attempt.accepted, false);
      const credential = seen.find((e) => e.kind === "credential")!;
      assert.equal(credential.secret_kind, "ntlmssp_v2");
      assert.equal(credential.hashcat_mode, 5600);
      assertV2LineCracks(credential.hashcat_line as string, PASSWORD);
    });

    await t.step("smbclient with NTLMv2 off: NetNTLMv1 line", async () => {
      const option = "--option=client ntlmv2 auth = no";
      let output = "";
      const seen = await credentialsOf(async () => {
        output = await smbclient(port, "-U", `bob%${PASSWORD}`, option);
      });
      assert.match(output, /NT_STATUS_LOGON_FAILURE/);
      assert.match(
        await smbclient(samba.port, "-U", `bob%${PASSWORD}`, option),
        /NT_STATUS_LOGON_FAILURE/,
      );
      const credential = seen.find((e) => e.kind === "credential")!;
      assert.equal(credential.secret_kind, "ntlmssp_v1");
      assert.equal(credential.hashcat_mode, 5500);
      assert.match(
        credential.hashcat_line as string,
        /^bob::WORKGROUP:[0-9a-f]{48}:[0-9a-f]{48}:[0-9a-f]{16}$/,
      );
    });

    await t.step("impacket's client: NetNTLMv2 line, STATUS_LOGON_FAILURE", async () => {
      let output = "";
      const seen = await credentialsOf(async () => {
        output = await run(PYTHON, ["-c", IMPACKET_LOGIN, String(port), "carol", PASSWORD]);
      });
      assert.equal(output.trim(), "STATUS_LOGON_FAILURE");
      const theirs = await run(PYTHON, [
        "-c",
        IMPACKET_LOGIN,
        String(samba.port),
        "carol",
        PASSWORD,
      ]);
      assert.equal(theirs.trim(), "STATUS_LOGON_FAILURE");
      const credential = seen.find((e) => e.kind === "credential")!;
      assert.equal(credential.username, "carol");
      assertV2LineCracks(credential.hashcat_line as string, PASSWORD);
    });

    await t.step("smbclient -N: null session let in, IPC$ denied, as Samba does", async () => {
      let output = "";
      const seen = await credentialsOf(async () => {
        output = await smbclient(port, "-N");
      });
      const theirs = await smbclient(samba.port, "-N");
      assert.match(theirs, /tree connect failed: NT_STATUS_ACCESS_DENIED/);
      assert.match(output, /tree connect failed: NT_STATUS_ACCESS_DENIED/);
      const attempts = seen.filter((e) => e.kind === "auth_attempt");
      assert.deepEqual(attempts.map((e) => e.method), ["ntlmssp", "anonymous"]);
      assert.equal(attempts[1].accepted, false);
    });
  },
});

Deno.test({
  name: "impacket's capture server prints smbclient's NetNTLMv2 in the shape smbService records",
  ignore: unavailable !== undefined,
  async fn() {
    const port = freePort();
    const share = await Deno.makeTempDir({ prefix: "impacket-share-" });
    const server = new Deno.Command(PYTHON, {
      args: [
        `${IMPACKET_EXAMPLES}/smbserver.py`,
        "-smb2support",
        "-ip",
        "127.0.0.1",
        "-port",
        String(port),
        "share",
        share,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    try {
      await waitUntil(async () => {
        try {
          (await Deno.connect({ hostname: "127.0.0.1", port })).close();
          return true;
        } catch {
          return false;
        }
      }, { what: "impacket smbserver" });
      await smbclient(port, "-U", `alice%${PASSWORD}`);
    } finally {
      server.kill("SIGTERM");
      await Deno.remove(share, { recursive: true });
    }
    const printed = new TextDecoder().decode((await server.output()).stdout);
    const line = printed.match(/^\[\*\] (alice::\S+)$/m)?.[1];
    assert.ok(line, printed);
    // impacket's line for smbclient verifies the same way the sensor's does.
    assertV2LineCracks(line, PASSWORD);
  },
});
