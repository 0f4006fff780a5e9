import assert from "node:assert/strict";
import type { SensorEvent } from "../../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../../core/sensor/serve_sensor.ts";
import { smbService } from "../../../core/sensor/smb/smb_service.ts";
import { findBinary } from "../../infra/find_binary.ts";
import { sambaUnavailable, startSamba } from "../../infra/samba.ts";
import { clientMessages, exchange } from "../../core/sensor/smb/_smb_exchange.ts";
import { stableFields } from "../../core/sensor/smb/_smb_fields.ts";

const unavailable = sambaUnavailable();
// Samba takes its DNS name from the host and its NetBIOS name from the
// config; the sensor gets the same host name so both announce the same names.
const HOST = Deno.hostname().toLowerCase();
const NETBIOS = HOST.split(".")[0].slice(0, 15).toUpperCase();

Deno.test({
  name: "smbService answers the first exchanges of real clients as Samba 4.17 does",
  ignore: unavailable !== undefined,
  async fn(t) {
    await using samba = await startSamba(NETBIOS);
    const events: SensorEvent[] = [];
    await using sensor = serveSensor({
      decky: "files01",
      hostname: "127.0.0.1",
      services: [{ service: smbService, options: { port: 0, hostname: HOST } }],
      sink: (e) => events.push(e),
    });
    const port = sensor.ports.get("smb")!;
    const clients = {
      // SMB2 negotiate up to 3.1.1 with contexts, then NTLMSSP NEGOTIATE in SPNEGO.
      "smbclient (Samba 4.17)": "smbclient_requests.hex",
      // SMB1 multi-protocol negotiate (wildcard), SMB2 renegotiate, NTLMSSP.
      "impacket 0.10": "impacket_requests.hex",
    };
    for (const [client, file] of Object.entries(clients)) {
      await t.step(client, async () => {
        const messages = clientMessages(file);
        const theirs = await exchange(samba.port, messages);
        const ours = await exchange(port, messages);
        assert.equal(theirs.length, messages.length);
        assert.deepEqual(ours.map(stableFields), theirs.map(stableFields));
      });
    }
    await t.step(
      "nmap's SMB1-only negotiate gets Samba's no-dialect answer byte for byte",
      async () => {
        const messages = clientMessages("nmap_smb1_negotiate.hex");
        const theirs = await exchange(samba.port, messages);
        const ours = await exchange(port, messages);
        assert.equal(theirs.length, 1);
        assert.deepEqual(ours, theirs);
      },
    );
    await t.step({
      name: "nmap -sV names both the same way",
      ignore: !findBinary("nmap"),
      fn: async () => {
        const names = await nmapServices([samba.port, port]);
        assert.match(names.get(samba.port) ?? "", /Samba smbd/);
        assert.equal(names.get(port), names.get(samba.port));
      },
    });
  },
});

/**
 * nmap -sV's service and version columns by port. Only nmap's own NULL and
 * SMBProgNeg probes and their match lines are loaded: the other probes make
 * smbd (and the sensor, which imitates it) wait for bytes that never come,
 * costing a minute per run for the same verdict.
 */
async function nmapServices(ports: number[]): Promise<Map<number, string>> {
  const dir = await Deno.makeTempDir({ prefix: "nmap-" });
  try {
    const probes = await Deno.readTextFile("/usr/share/nmap/nmap-service-probes");
    let keep = false;
    const lines = probes.split("\n").filter((line) => {
      if (line.startsWith("Probe ")) keep = /^Probe TCP (NULL|SMBProgNeg) /.test(line);
      return keep;
    });
    await Deno.writeTextFile(`${dir}/nmap-service-probes`, lines.join("\n") + "\n");
    const { stdout } = await new Deno.Command("nmap", {
      args: ["--datadir", dir, "-sV", "-Pn", "-n", "-p", ports.join(","), "127.0.0.1"],
      stdout: "piped",
      stderr: "null",
    }).output();
    const found = new Map<number, string>();
    for (const line of new TextDecoder().decode(stdout).split("\n")) {
      const match = line.match(/^(\d+)\/tcp\s+open\s+(.*)$/);
      if (match) found.set(Number(match[1]), match[2]);
    }
    return found;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
