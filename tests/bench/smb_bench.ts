/**
 * SMB sensor (issue 15): full logins per second over loopback, one
 * connection each: NEGOTIATE (smbclient's, SMB 3.1.1 with contexts), SESSION_SETUP with
 * NTLMSSP NEGOTIATE, SESSION_SETUP with smbclient's AUTHENTICATE -> refused,
 * `auth_attempt` and `credential` recorded (to a counting sink). The same
 * exchange against a private Debian smbd for reference, when run as root
 * with samba installed (a fortieth as many logins; it answers the replayed AUTHENTICATE with
 * INVALID_PARAMETER, its MIC no longer matching, after the same work).
 */
import { ConnReader } from "../../core/sensor/conn_reader.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { smbService } from "../../core/sensor/smb/smb_service.ts";
import { sambaUnavailable, startSamba } from "../infra/samba.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const N = Number(Deno.env.get("BENCH_SMB_LOGINS") ?? 2000);
const fixtures = new URL("../testdata/smb/", import.meta.url);
const unhex = (t: string) => Uint8Array.from(t.match(/../g) ?? [], (h) => parseInt(h, 16));
const read = (name: string) =>
  Deno.readTextFileSync(new URL(name, fixtures)).trim().split("\n").map(unhex);
const [negotiate, setup] = read("smbclient_requests.hex");
const [authenticate] = read("smbclient_authenticate.hex");

async function login(port: number): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const reader = new ConnReader(conn);
  const answer = async () => {
    const head = await reader.readExact(4);
    if (!head) throw new Error("server closed early");
    const body = await reader.readExact((head[1] << 16) | (head[2] << 8) | head[3]);
    if (!body) throw new Error("server closed early");
    return body;
  };
  try {
    await conn.write(negotiate);
    await answer();
    await conn.write(setup);
    const challenge = await answer();
    const message = authenticate.slice();
    message.set(challenge.subarray(40, 48), 4 + 40); // the session id it opened
    await conn.write(message);
    await answer();
  } finally {
    conn.close();
  }
}

let events = 0;
{
  await using sensor = serveSensor({
    decky: "bench",
    hostname: "127.0.0.1",
    services: [{ service: smbService, options: { port: 0, hostname: "files01" } }],
    sink: () => events++,
  });
  const port = sensor.ports.get("smb")!;
  console.log(
    formatTimings("smb sensor: negotiate+2 session setups", await timeIt(N, () => login(port))),
  );
}
console.log(`events recorded: ${events}`);
const why = sambaUnavailable();
if (why) console.log(`smbd reference skipped: ${why}`);
else {
  await using samba = await startSamba();
  console.log(
    formatTimings(
      "smbd 4.17: negotiate+2 session setups",
      await timeIt(N, () => login(samba.port)),
    ),
  );
}
