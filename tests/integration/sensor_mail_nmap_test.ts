import assert from "node:assert/strict";
import { imapService } from "../../core/sensor/imap/imap_service.ts";
import { pop3Service } from "../../core/sensor/pop3/pop3_service.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { findBinary } from "../infra/find_binary.ts";

Deno.test({
  name: "nmap -sV names the IMAP and POP3 sensors as Dovecot",
  ignore: !findBinary("nmap"),
  async fn() {
    await using sensor = serveSensor({
      decky: "mail-01",
      hostname: "127.0.0.1",
      services: [{ service: imapService, options: { port: 0 } }, {
        service: pop3Service,
        options: { port: 0 },
      }],
      sink: () => {},
    });
    const imap = sensor.ports.get("imap")!;
    const pop3 = sensor.ports.get("pop3")!;
    const out = await new Deno.Command(findBinary("nmap")!, {
      args: ["-sV", "--version-light", "-Pn", "-n", "-p", `${imap},${pop3}`, "127.0.0.1"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const report = new TextDecoder().decode(out.stdout);
    assert.match(report, new RegExp(`^${imap}/tcp +open +imap +Dovecot imapd$`, "m"), report);
    assert.match(report, new RegExp(`^${pop3}/tcp +open +pop3 +Dovecot pop3d$`, "m"), report);
    assert.doesNotMatch(report, /unrecognized|fingerprint/i, report);
  },
});
