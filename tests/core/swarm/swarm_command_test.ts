import assert from "node:assert/strict";
import {
  decodeBase64,
  encodeBase64,
  isSwarmCommandVerb,
  parseSwarmCommand,
  parseSwarmCommandReply,
} from "../../../core/swarm/mod.ts";

const TOKEN = {
  callback_token: "AAAAAAAAAAAAAAAAAAAAAA",
  http_base: "http://192.0.2.7:8080",
  dns_zone: "canary.example",
  persona: null,
  created_at: "2026-11-30T09:00:00.000Z",
  placement_path: "/root/.aws/credentials",
};

Deno.test("parseSwarmCommand() reads each verb's arguments", () => {
  assert.deepEqual(
    parseSwarmCommand("deploy", { id: "c1", host: "dmz-1", args: { fleet: "[decky a]" } }),
    { id: "c1", host: "dmz-1", args: { fleet: "[decky a]" } },
  );
  assert.deepEqual(
    parseSwarmCommand("teardown", { id: "c2", host: "dmz-1", args: { deckies: ["a", "b"] } })
      .args,
    { deckies: ["a", "b"] },
  );
  const plant = parseSwarmCommand("plant", {
    id: "c3",
    host: "dmz-1",
    args: {
      decky: { name: "web-a" },
      token: TOKEN,
      artifact: { bytes: "aGk=", mode: 0o600, modified_at: "2026-11-30T09:00:00Z" },
    },
  });
  assert.equal(plant.args.token.placement_path, "/root/.aws/credentials");
  assert.ok(isSwarmCommandVerb("mail"));
  assert.ok(!isSwarmCommandVerb("exec"));
});

Deno.test("parseSwarmCommand() names the first bad field", async (t) => {
  const cases: [string, Parameters<typeof parseSwarmCommand>[0], unknown, RegExp][] = [
    ["no id", "deploy", { host: "a", args: { fleet: "x" } }, /^Bad deploy command: id: /],
    [
      "host not a host name",
      "deploy",
      { id: "c", host: "A.B", args: { fleet: "x" } },
      /^Bad deploy command: host: expected a swarm host name$/,
    ],
    [
      "an extra envelope field",
      "deploy",
      { id: "c", host: "a", args: { fleet: "x" }, sudo: true },
      /^Bad deploy command: message: /,
    ],
    [
      "fleet missing",
      "deploy",
      { id: "c", host: "a", args: {} },
      /^Bad deploy command: args\.fleet: /,
    ],
    [
      "teardown of nothing",
      "teardown",
      { id: "c", host: "a", args: { deckies: [] } },
      /args\.deckies: expected all = true or a non-empty deckies list/,
    ],
    [
      "a decky name that is a path",
      "teardown",
      { id: "c", host: "a", args: { deckies: ["../etc"] } },
      /args\.deckies\.0: expected a decky name/,
    ],
    [
      "bytes not base64",
      "mail",
      {
        id: "c",
        host: "a",
        args: { decky: "a", container: "a-imap", login: "ann", sender: "x@y", bytes: "%%" },
      },
      /^Bad mail command: args\.bytes: /,
    ],
    [
      "a mode out of range",
      "plant",
      {
        id: "c",
        host: "a",
        args: {
          decky: { name: "a" },
          token: TOKEN,
          artifact: { bytes: "", mode: 0o17777, modified_at: "2026-11-30T09:00:00Z" },
        },
      },
      /args\.artifact\.mode: /,
    ],
    [
      "a time without offset",
      "file",
      {
        id: "c",
        host: "a",
        args: {
          op: "write",
          decky: "a",
          container: "a",
          path: "/x",
          bytes: "",
          mtime: "yesterday",
        },
      },
      /args\.mtime: /,
    ],
    [
      "a file command without its operation",
      "file",
      { id: "c", host: "a", args: { decky: "a", container: "a", path: "/x", bytes: "" } },
      /args\.op: /,
    ],
    [
      "a second line smuggled into a shell history",
      "file",
      {
        id: "c",
        host: "a",
        args: { op: "history", decky: "a", container: "a", login: "ann", lines: ["ls\nrm -rf /"] },
      },
      /args\.lines\.0: expected one line/,
    ],
    [
      "a traffic peer that is not an address",
      "traffic",
      {
        id: "c",
        host: "a",
        args: {
          src: { decky: "a", container: "a-ssh" },
          dst: { decky: "b", container: "b-ssh" },
          login: "ann",
          dst_ip: "b.example",
          commands: ["uptime"],
          authorized_key: null,
        },
      },
      /args\.dst_ip: /,
    ],
  ];
  for (const [name, verb, value, pattern] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => parseSwarmCommand(verb, value),
        (e: unknown) => e instanceof TypeError && pattern.test(e.message),
      );
    });
  }
});

Deno.test("parseSwarmCommandReply() reads both answers and refuses anything else", () => {
  assert.deepEqual(parseSwarmCommandReply({ id: "c", ok: true, result: { n: 1 } }), {
    id: "c",
    ok: true,
    result: { n: 1 },
  });
  assert.deepEqual(parseSwarmCommandReply({ id: "c", ok: false, error: "no" }), {
    id: "c",
    ok: false,
    error: "no",
  });
  assert.throws(
    () => parseSwarmCommandReply({ id: "c", ok: false }),
    /^TypeError: Bad command reply/,
  );
});

Deno.test("encodeBase64() and decodeBase64() round-trip bytes larger than one chunk", () => {
  const bytes = new Uint8Array(100_000).map((_, i) => i * 7);
  assert.deepEqual(decodeBase64(encodeBase64(bytes)), bytes);
  assert.equal(encodeBase64(new TextEncoder().encode("hi")), "aGk=");
});
