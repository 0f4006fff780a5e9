import assert from "node:assert/strict";
import { runDecnet } from "../infra/run_decnet.ts";

Deno.test("decnet cluster prints one line per observation in input order", async () => {
  const input = [
    '{"ip":"198.51.100.9","ja3":["j"],"hassh":["h"]}',
    '{"ip":"192.0.2.7"}',
    '{"ip":"198.51.100.2","ja3":["j"],"hassh":["h"],"unknown_field":true}',
    "",
  ].join("\n");
  const run = await runDecnet(["cluster", "--input", "-", "--json"], { stdin: input });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  assert.deepEqual(run.stdout.trim().split("\n").map((l) => JSON.parse(l)), [
    { ip: "198.51.100.9", identity: "198.51.100.2", campaign: "198.51.100.2" },
    { ip: "192.0.2.7", identity: "192.0.2.7", campaign: "192.0.2.7" },
    { ip: "198.51.100.2", identity: "198.51.100.2", campaign: "198.51.100.2" },
  ]);
});

Deno.test("decnet cluster exits 2 naming the line and field of bad input, or the unreadable file", async (t) => {
  const cases: [string[], string | undefined, RegExp][] = [
    [
      ["cluster", "--input", "-"],
      '{"ip":"192.0.2.1"}\n{"ip":"192.0.2.2","asn":"x"}\n',
      /Line 2: asn: expected a whole number, got "x"/,
    ],
    [["cluster", "--input", "-"], "not json\n", /Line 1: not JSON/],
    [
      ["cluster", "--input", "/nonexistent/observations.jsonl"],
      undefined,
      /Cannot read --input \/nonexistent/,
    ],
    [["cluster", "--input", "/"], undefined, /Cannot read --input \/: Is a directory/],
    [["cluster"], undefined, /required option '--input <file>'/],
  ];
  // The child processes run side by side; the checks follow in order.
  const runs = await Promise.all(
    cases.map(([args, stdin]) => runDecnet(args, stdin === undefined ? {} : { stdin })),
  );
  for (const [k, [args, stdin, error]] of cases.entries()) {
    await t.step(`${args.join(" ")} ${stdin?.trim() ?? ""}`, () => {
      assert.equal(runs[k].code, 2, runs[k].stderr);
      assert.match(runs[k].stderr, error);
      assert.equal(runs[k].stdout, "");
    });
  }
});

Deno.test("decnet cluster --help names every input field", async () => {
  const run = await runDecnet(["cluster", "--help"]);
  assert.equal(run.code, 0);
  for (
    const field of [
      "ip",
      "asn",
      "ja3",
      "hassh",
      "tcp_fingerprint",
      "tools",
      "credentials",
      "payload_hashes",
      "c2_endpoints",
      "kd_simhash",
      "sessions",
      "phases",
    ]
  ) {
    assert.match(run.stdout.replace(/\s+/g, " "), new RegExp(`\\b${field}\\b`));
  }
});
