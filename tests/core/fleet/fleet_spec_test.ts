import assert from "node:assert/strict";
import {
  fleetSpecForHost,
  parseFleetSpec,
  parseIni,
  swarmHostsOf,
} from "../../../core/fleet/mod.ts";

const SAMPLE = `
; a fleet
[network]
driver = bridge        ; bridge | macvlan | ipvlan
name = decoys
subnet = 192.0.2.0/24
gateway = 192.0.2.1

[defaults]
image = testbox:busybox
base_image = testbox:busybox

[decky ws-01]
services = ssh, http
image.http = nginx:1.27
command.ssh = nc -ll -p 22 -e sh -c 'echo SSH-2.0-OpenSSH_9.2p1; sleep 1'
ip = 192.0.2.10
os = windows

[decky db-01]
services = mysql
command.mysql = ["sleep", "1000"]
`;

Deno.test("parseIni() reads sections, keys and comments with line numbers", () => {
  const sections = parseIni("# top\n[a]\nx = 1 ; note\ny=two words # c\nz = 'a ; b'\n");
  assert.equal(sections.length, 1);
  assert.deepEqual(sections[0].entries, [
    { key: "x", value: "1", line: 3 },
    { key: "y", value: "two words", line: 4 },
    { key: "z", value: "'a ; b'", line: 5 },
  ]);
});

Deno.test("parseIni() names the line when it cannot parse", async (t) => {
  await t.step("no section", () => {
    assert.throws(() => parseIni("x = 1"), /line 1, key "x"/);
  });
  await t.step("garbage", () => {
    assert.throws(() => parseIni("[a]\nnonsense"), /line 2/);
  });
  await t.step("repeated key", () => {
    assert.throws(() => parseIni("[a]\nx=1\nX=2"), /line 3, key "x": key repeated/);
  });
});

Deno.test("parseFleetSpec() builds network and deckies with defaults", () => {
  const spec = parseFleetSpec(SAMPLE);
  assert.deepEqual(spec.network, {
    name: "decoys",
    driver: "bridge",
    subnet: "192.0.2.0/24",
    gateway: "192.0.2.1",
    interface: null,
    dns: [],
    egress: "deny",
  });
  const [ws, db] = spec.deckies;
  assert.equal(ws.name, "ws-01");
  assert.equal(ws.os, "windows");
  assert.equal(ws.ip, "192.0.2.10");
  assert.equal(ws.baseImage, "testbox:busybox");
  assert.deepEqual(ws.services, [
    {
      name: "ssh",
      image: "testbox:busybox",
      command: ["nc", "-ll", "-p", "22", "-e", "sh", "-c", "echo SSH-2.0-OpenSSH_9.2p1; sleep 1"],
      sensor: null,
      log: null,
    },
    { name: "http", image: "nginx:1.27", command: null, sensor: null, log: null },
  ]);
  assert.deepEqual(db.services, [{
    name: "mysql",
    image: "testbox:busybox",
    command: ["sleep", "1000"],
    sensor: null,
    log: null,
  }]);
  assert.equal(db.ip, null);
  assert.equal(db.os, "linux");
  assert.equal(db.init, "image", "the image's own PID 1 unless asked");
  assert.deepEqual(db.dns, []);
});

Deno.test("parseFleetSpec() takes dns from the decky, else [defaults], else [network]", () => {
  const spec = parseFleetSpec(
    "[network]\ndns = 10.0.0.53, 10.0.0.54\n[defaults]\nimage=x\ninit=docker\n" +
      "[decky a]\nservices=ssh\n[decky b]\nservices=ssh\ndns=10.1.0.53\ninit=image\n",
  );
  assert.deepEqual(spec.network.dns, ["10.0.0.53", "10.0.0.54"]);
  assert.deepEqual(spec.deckies.map((d) => [d.dns, d.init]), [
    [["10.0.0.53", "10.0.0.54"], "docker"],
    [["10.1.0.53"], "image"],
  ]);
  const fromDefaults = parseFleetSpec("[defaults]\ndns=10.2.0.1\n[decky a]\nservices=ssh\nimage=x");
  assert.deepEqual(fromDefaults.deckies[0].dns, ["10.2.0.1"]);
});

Deno.test("parseFleetSpec() names the line and key of a bad value", async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "bad driver",
      "[network]\ndriver = vxlan\n[decky a]\nservices=ssh\nimage=x",
      /line 2, key "driver"/,
    ],
    [
      "macvlan without interface",
      "[network]\ndriver = macvlan\nsubnet=192.0.2.0/24\n[decky a]\nservices=ssh\nimage=x",
      /line 2, key "driver": macvlan needs "interface"/,
    ],
    [
      "ip outside subnet",
      "[network]\nsubnet=192.0.2.0/24\n[decky a]\nservices=ssh\nimage=x\nip=198.51.100.1",
      /line 6, key "ip": expected an address inside/,
    ],
    ["ip without subnet", "[decky a]\nservices=ssh\nimage=x\nip=192.0.2.3", /line 4, key "ip"/],
    [
      "duplicate ip",
      "[network]\nsubnet=192.0.2.0/24\n[decky a]\nservices=ssh\nimage=x\nip=192.0.2.3\n[decky b]\nservices=ssh\nimage=x\nip=192.0.2.3",
      /line 10, key "ip": expected an address not already used by a/,
    ],
    ["unknown key", "[decky a]\nservices=ssh\nimage=x\ncolour=red", /line 4, key "colour"/],
    ["missing image", "[decky a]\nservices=redis", /key "image.redis"/],
    ["bad os", "[decky a]\nservices=ssh\nimage=x\nos=beos", /line 4, key "os"/],
    ["bad name", "[decky A_1]\nservices=ssh\nimage=x", /line 1: expected a decky name/],
    [
      "image for unlisted service",
      "[decky a]\nservices=ssh\nimage=x\nimage.http=y",
      /line 4, key "image.http"/,
    ],
    [
      "unterminated quote",
      "[decky a]\nservices=ssh\nimage=x\ncommand.ssh = sh -c 'x",
      /line 4, key "command.ssh"/,
    ],
    ["no decky", "[network]\n", /at least one \[decky NAME\]/],
    ["bad init", "[decky a]\nservices=ssh\nimage=x\ninit=tini", /line 4, key "init": expected/],
    [
      "loopback dns",
      "[network]\ndns=127.0.0.11\n[decky a]\nservices=ssh\nimage=x",
      /line 2, key "dns": expected the LAN's resolver, not the local address 127\.0\.0\.11/,
    ],
    [
      "dns not an address",
      "[decky a]\nservices=ssh\nimage=x\ndns=ns1.corp",
      /line 4, key "dns": expected IPv4 resolver addresses, not "ns1\.corp"/,
    ],
    [
      "four resolvers",
      "[defaults]\ndns=10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4\n[decky a]\nservices=ssh\nimage=x",
      /line 2, key "dns": expected 1-3/,
    ],
  ];
  for (const [name, text, pattern] of cases) {
    await t.step(name, () => assert.throws(() => parseFleetSpec(text), pattern));
  }
});

Deno.test("parseFleetSpec() takes the interface from options over the file", () => {
  const spec = parseFleetSpec(
    "[network]\ndriver=macvlan\nsubnet=192.0.2.0/24\n[decky a]\nservices=ssh\nimage=x",
    { interface: "eth1" },
  );
  assert.equal(spec.network.interface, "eth1");
  assert.equal(spec.network.driver, "macvlan");
});

Deno.test("parseFleetSpec() reads an operator image's log format for the collector", () => {
  const spec = parseFleetSpec(
    "[network]\nname = lan\n[decky a]\nservices = ssh, http\nimage = x:1\nlog.ssh = openssh\nlog.http = nginx",
  );
  assert.deepEqual(spec.deckies[0].services.map((s) => [s.name, s.log]), [
    ["ssh", "openssh"],
    ["http", "nginx"],
  ]);
  assert.throws(
    () =>
      parseFleetSpec(
        "[network]\nname = lan\n[decky a]\nservices = ssh\nimage = x:1\nlog.ssh = syslog",
      ),
    /key "log.ssh": expected one of json, openssh, nginx/,
  );
  assert.throws(
    () => parseFleetSpec("[network]\nname = lan\n[decky a]\nservices = ssh\nlog.ssh = openssh"),
    /expected no log format for sensor service ssh/,
  );
});

const HOSTED = `[network]
name = lan
[defaults]
image = x:1
services = ssh
[decky a]
host = dmz-1
[decky b]
[decky c]
host = lab-2
[decky d]
host = dmz-1
`;

Deno.test("parseFleetSpec() places deckies on swarm hosts, none meaning the master", () => {
  const spec = parseFleetSpec(HOSTED, { hosts: ["dmz-1", "lab-2"] });
  assert.deepEqual(spec.deckies.map((d) => [d.name, d.host]), [
    ["a", "dmz-1"],
    ["b", null],
    ["c", "lab-2"],
    ["d", "dmz-1"],
  ]);
  assert.deepEqual(swarmHostsOf(spec), ["dmz-1", "lab-2"]);
  assert.deepEqual(fleetSpecForHost(spec, "dmz-1").deckies.map((d) => d.name), ["a", "d"]);
  assert.deepEqual(fleetSpecForHost(spec, null).deckies.map((d) => d.name), ["b"]);
  assert.equal(fleetSpecForHost(spec, null).network, spec.network);
  assert.deepEqual(parseFleetSpec(SAMPLE).deckies.map((d) => d.host), [null, null]);
  assert.deepEqual(swarmHostsOf(parseFleetSpec(SAMPLE)), []);
});

Deno.test("parseFleetSpec() names the decky and the host when the host is unknown", async (t) => {
  await t.step("not enrolled", () => {
    assert.throws(
      () => parseFleetSpec(HOSTED, { hosts: ["dmz-1"] }),
      new SyntaxError(
        'Cannot parse line 10, key "host": expected an enrolled swarm host for decky c ' +
          '(enrolled: dmz-1), got "lab-2"',
      ),
    );
  });
  await t.step("no host enrolled at all", () => {
    assert.throws(
      () => parseFleetSpec(HOSTED, { hosts: [] }),
      /key "host": expected an enrolled swarm host for decky a \(enrolled: none\), got "dmz-1"/,
    );
  });
  await t.step("not a host name", () => {
    assert.throws(
      () => parseFleetSpec("[decky a]\nservices = ssh\nimage = x:1\nhost = DMZ.1\n"),
      /line 4, key "host": expected a swarm host name .*, got "DMZ\.1"/,
    );
  });
  await t.step("only in a decky's section", () => {
    assert.throws(
      () => parseFleetSpec("[defaults]\nhost = dmz-1\n[decky a]\nservices = ssh\nimage = x:1"),
      /line 2, key "host": expected one of/,
    );
  });
});
