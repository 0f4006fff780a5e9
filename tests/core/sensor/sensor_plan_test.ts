import assert from "node:assert/strict";
import {
  parseSensorOptions,
  parseSensorPlan,
  sensorPermissions,
} from "../../../core/sensor/mod.ts";
import { lineService } from "./_line_service.ts";

const registry = {
  telnet: lineService,
  ftp: { ...lineService, name: "ftp" as const, defaultPort: 21 },
};

Deno.test("parseSensorOptions() turns snake_case JSON into options", () => {
  assert.deepEqual(
    parseSensorOptions({
      port: "2222",
      banner: "SSH-2.0-OpenSSH_9.2p1",
      hostname: "ws-01",
      accept: ["root:to:or"],
      mailbox_owner: "ana",
      mail_spool: "/var/mail",
      upstream: "127.0.0.1:22",
      upstream_key: "/etc/netd/id",
    }, "ssh"),
    {
      port: 2222,
      banner: "SSH-2.0-OpenSSH_9.2p1",
      hostname: "ws-01",
      accept: [{ username: "root", password: "to:or" }],
      mailboxOwner: "ana",
      mailSpool: "/var/mail",
      upstream: { hostname: "127.0.0.1", port: 22 },
      upstreamKeyPath: "/etc/netd/id",
    },
  );
});

Deno.test("parseSensorOptions() names the field and the value it refuses", async (t) => {
  const cases: [unknown, RegExp][] = [
    [[], /ssh expected an object, got \[\]/],
    [{ port: 0 }, /ssh.port expected a port 1-65535, got 0/],
    [{ colour: "red" }, /ssh.colour expected one of port, banner/],
    [{ banner: "a\r\nb" }, /ssh.banner expected text without control characters/],
    [{ mail_spool: "var/mail" }, /ssh.mail_spool expected an absolute path/],
    [{ mail_spool: "/var/../etc" }, /ssh.mail_spool expected an absolute path/],
    [{ upstream: "nohost" }, /ssh.upstream expected host:port/],
    [{ upstream: "127.0.0.1:70000" }, /ssh.upstream expected host:port/],
    [{ mailbox_owner: "a b" }, /ssh.mailbox_owner expected a login/],
  ];
  for (const [raw, error] of cases) {
    await t.step(
      JSON.stringify(raw),
      () => assert.throws(() => parseSensorOptions(raw, "ssh"), error),
    );
  }
  await t.step("accept hides the password", () => {
    assert.throws(() => parseSensorOptions({ accept: ["hunter2"] }, "ssh"), (e: Error) => {
      assert.match(e.message, /ssh.accept expected a list of "user:password"/);
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    });
  });
});

Deno.test("parseSensorPlan() checks services, config keys and ports", async (t) => {
  const plan = (services: string[], config?: unknown, decky = "ws-01") =>
    parseSensorPlan({ decky, services, config, registry });
  await t.step("valid", () => {
    assert.deepEqual(plan(["telnet", " ftp"], { ftp: { port: 2121 } }), {
      decky: "ws-01",
      services: [{ name: "telnet", options: {} }, { name: "ftp", options: { port: 2121 } }],
    });
  });
  await t.step("unknown service", () => {
    assert.throws(() => plan(["ssh"]), /services expected one of telnet, ftp, got "ssh"/);
  });
  await t.step("none", () => assert.throws(() => plan([""]), /services expected one or more/));
  await t.step("twice", () => assert.throws(() => plan(["ftp", "ftp"]), /each service once/));
  await t.step("config of an unlisted service", () => {
    assert.throws(
      () => plan(["ftp"], { telnet: {} }),
      /config expected keys among services \(ftp\), got "telnet"/,
    );
  });
  await t.step("config not an object", () => {
    assert.throws(() => plan(["ftp"], [1]), /config expected a JSON object/);
  });
  await t.step("shared port", () => {
    assert.throws(
      () => plan(["telnet", "ftp"], { ftp: { port: 2323 } }),
      /ftp.port expected a port not used by telnet, got 2323/,
    );
  });
  await t.step("bad decky", () => {
    assert.throws(() => plan(["ftp"], undefined, "WS 01"), /decky expected a-z/);
  });
});

Deno.test("sensorPermissions() grants its ports, upstream and files, nothing else", () => {
  const permissions = sensorPermissions(
    {
      decky: "a",
      services: [
        {
          name: "telnet",
          options: {
            upstream: { hostname: "127.0.0.1", port: 23 },
            upstreamKeyPath: "/etc/netd/id",
          },
        },
        { name: "ftp", options: { port: 2121, mailSpool: "/var/mail" } },
      ],
    },
    { registry, modulePath: "/usr/lib/netd/netd.js" },
  );
  assert.deepEqual(permissions, {
    net: ["0.0.0.0:2323", "127.0.0.1:23", "0.0.0.0:2121"],
    read: ["/usr/lib/netd/netd.js", "/etc/netd/id", "/var/mail"],
    env: false,
    write: false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  });
});

Deno.test("sensorPermissions() adds the net a service names beyond its port (rdp's loopback TLS)", () => {
  const rdp = { ...lineService, name: "rdp" as const, defaultPort: 3389, net: ["127.0.0.1"] };
  const permissions = sensorPermissions(
    { decky: "a", services: [{ name: "rdp", options: {} }] },
    { registry: { rdp }, modulePath: null },
  );
  assert.deepEqual(permissions.net, ["0.0.0.0:3389", "127.0.0.1"]);
});
