import assert from "node:assert/strict";
import {
  deckyMailVolume,
  parseFleetSpec,
  SENSOR_IMAGE,
  sensorContainerSpec,
} from "../../../core/fleet/mod.ts";
import { VERSION } from "../../../core/version.ts";

const SENSORS = { sensorServices: ["ssh", "imap", "telnet"] };

Deno.test("parseFleetSpec() gives a service with no image to the sensor, with its options", () => {
  const spec = parseFleetSpec(
    `[network]
[decky ws-01]
services = ssh, imap, web
image.web = nginx:1.27
ssh.banner = SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3
ssh.accept = root:toor, admin:admin
ssh.hostname = ws-01
imap.mailbox_owner = ana
`,
    SENSORS,
  );
  const [ssh, imap, web] = spec.deckies[0].services;
  assert.equal(ssh.image, SENSOR_IMAGE);
  assert.equal(SENSOR_IMAGE, `local/netd:${VERSION}`, "tagged with decnet's version");
  assert.deepEqual(ssh.sensor, {
    banner: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
    accept: [{ username: "root", password: "toor" }, { username: "admin", password: "admin" }],
    hostname: "ws-01",
  });
  assert.deepEqual(imap.sensor, { mailboxOwner: "ana" });
  assert.equal(web.sensor, null);
  assert.equal(web.image, "nginx:1.27");
});

Deno.test("parseFleetSpec() keeps the operator's image when [defaults] or the decky names one", () => {
  const spec = parseFleetSpec(
    "[network]\n[defaults]\nimage = x:1\n[decky a]\nservices = ssh\n",
    SENSORS,
  );
  assert.deepEqual(spec.deckies[0].services[0], {
    name: "ssh",
    image: "x:1",
    command: null,
    sensor: null,
    log: null,
  });
});

Deno.test("parseFleetSpec() names the key of a bad sensor option", async (t) => {
  const bad = (extra: string, services = "ssh") => () =>
    parseFleetSpec(`[network]\n[decky a]\nservices = ${services}\n${extra}\n`, SENSORS);
  await t.step("unknown option", () => {
    assert.throws(bad("ssh.colour = red"), /line 4, key "ssh.colour": expected one of ssh.port/);
  });
  await t.step("bad port", () => {
    assert.throws(bad("ssh.port = 70000"), /key "ssh.port".*ssh.port expected a port 1-65535/);
  });
  await t.step("malformed accept never echoes the password", () => {
    assert.throws(bad("ssh.accept = rootsecret"), (e: Error) => {
      assert.match(e.message, /key "ssh.accept"/);
      assert.doesNotMatch(e.message, /rootsecret/);
      return true;
    });
  });
  await t.step("options of an unlisted service", () => {
    assert.throws(
      bad("imap.mailbox_owner = ana"),
      /key "imap.mailbox_owner": expected options of a service listed/,
    );
  });
  await t.step("options of a service with an image", () => {
    assert.throws(
      bad("image.ssh = x:1\nssh.banner = b"),
      /expected options only for a sensor service/,
    );
  });
  await t.step("no image and no sensor for it", () => {
    assert.throws(
      bad("", "smtp"),
      /image.smtp": expected an image for service smtp .*no built-in sensor/,
    );
  });
  await t.step("deploy-only option", () => {
    assert.throws(bad("ssh.upstream_key = /etc/x"), /key "ssh.upstream_key": expected one of/);
  });
});

Deno.test("parseFleetSpec() reads limits with defaults and egress per network", async (t) => {
  await t.step("defaults", () => {
    const spec = parseFleetSpec("[network]\n[decky a]\nservices = ssh\n", SENSORS);
    assert.deepEqual(spec.deckies[0].limits, {
      nanoCpus: 1e9,
      memoryBytes: 512 * 1024 ** 2,
      pidsLimit: 512,
    });
    assert.equal(spec.network.egress, "deny");
  });
  await t.step("given", () => {
    const spec = parseFleetSpec(
      "[network]\negress = allow\n[defaults]\ncpus = 0.25\n[decky a]\nservices = ssh\nmemory = 1g\npids = 64\n",
      SENSORS,
    );
    assert.deepEqual(spec.deckies[0].limits, {
      nanoCpus: 2.5e8,
      memoryBytes: 1024 ** 3,
      pidsLimit: 64,
    });
    assert.equal(spec.network.egress, "allow");
  });
  await t.step("bad values name the key", () => {
    const bad = (extra: string) => () =>
      parseFleetSpec(`[network]\n[decky a]\nservices = ssh\n${extra}\n`, SENSORS);
    assert.throws(bad("cpus = lots"), /key "cpus": expected a number of CPUs/);
    assert.throws(bad("memory = 1t"), /key "memory": expected a size 6m-256g/);
    assert.throws(bad("pids = 2"), /key "pids": expected a whole number of processes/);
    assert.throws(
      () => parseFleetSpec("[network]\negress = maybe\n[decky a]\nservices = ssh\n", SENSORS),
      /key "egress": expected deny \| allow/,
    );
    assert.throws(
      () =>
        parseFleetSpec(
          "[network]\ndriver = macvlan\ninterface = eth0\nsubnet = 192.0.2.0/24\negress = deny\n[decky a]\nservices = ssh\n",
          SENSORS,
        ),
      /key "egress": expected "allow" with macvlan/,
    );
  });
});

Deno.test("sensorContainerSpec() runs every sensor service of a decky in one container", () => {
  const [decky] = parseFleetSpec(
    "[network]\n[decky ws-01]\nservices = ssh, imap, web\nimage.web = x:1\nssh.port = 2222\nimap.mailbox_owner = ana\n",
    SENSORS,
  ).deckies;
  const spec = sensorContainerSpec(decky)!;
  assert.equal(spec.name, "ws-01-sensor");
  assert.equal(spec.image, SENSOR_IMAGE);
  assert.equal(spec.user, "65534:8");
  assert.deepEqual(spec.cmd.slice(0, 4), ["--services", "ssh,imap", "--decky", "ws-01"]);
  assert.deepEqual(JSON.parse(spec.cmd[5]), {
    ssh: { port: 2222 },
    imap: { mailbox_owner: "ana", mail_spool: "/var/mail" },
  });
  assert.deepEqual(spec.cmd.slice(6), ["--control", "/run/netd"]);
  assert.deepEqual(spec.mounts, [{
    type: "volume",
    source: "ws-01-mail",
    target: "/var/mail",
    readOnly: true,
  }]);
  assert.deepEqual(deckyMailVolume(decky), {
    type: "volume",
    source: "ws-01-mail",
    target: "/var/mail",
  });
  const [plain] =
    parseFleetSpec("[network]\n[decky b]\nservices = web\nimage = x:1\n", SENSORS).deckies;
  assert.equal(sensorContainerSpec(plain), null);
  assert.equal(deckyMailVolume(plain), null);
});
