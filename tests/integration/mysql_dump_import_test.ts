import assert from "node:assert/strict";
import { generateArtifact } from "../../canary/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { mariaDbUnavailable } from "../infra/mariadb.ts";

function unavailable(): string | undefined {
  if (Deno.build.os !== "linux") return "needs Linux namespaces";
  if (Deno.uid() !== 0) return "needs root for unshare --net --mount";
  if (!findBinary("unshare") || !findBinary("ip")) {
    return "needs unshare and ip (util-linux, iproute2)";
  }
  return mariaDbUnavailable();
}

Deno.test({
  name: "mysql_dump artifact makes a real MariaDB resolve <slug>.<zone> when imported",
  ignore: unavailable() !== undefined,
  async fn() {
    const context = {
      slug: "Ab3dEfGh1jKlMn_pQr-tUv",
      httpBase: "https://cdn.example.net",
      dnsZone: "t.example.net",
      persona: { os: "linux" as const },
    };
    const dump = await generateArtifact("mysql_dump", context);
    const dir = await Deno.makeTempDir({ prefix: "dump-import-" });
    try {
      await Deno.writeFile(`${dir}/dump.sql`, dump.bytes);
      await Deno.writeTextFile(
        `${dir}/resolv.conf`,
        "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n",
      );
      const probe = new URL("./_mysql_dump_import_probe.ts", import.meta.url).pathname;
      const out = await new Deno.Command(findBinary("unshare")!, {
        args: [
          "--mount",
          "--net",
          "--",
          "sh",
          "-c",
          'ip link set lo up && mount --bind "$1" /etc/resolv.conf && exec "$2" run -A "$3" "$4" "$5"',
          "sh",
          `${dir}/resolv.conf`,
          Deno.execPath(),
          probe,
          `${dir}/dump.sql`,
          `${context.slug}.${context.dnsZone}`,
        ],
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(120_000),
      }).output();
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const result = JSON.parse(stdout.trim().split("\n").pop()!);
      assert.equal(result.importCode, 0, result.importError);
      assert.ok(
        result.queried.some((q: string) =>
          q.toLowerCase() === "ab3defgh1jklmn_pqr-tuv.t.example.net"
        ),
        `queried: ${JSON.stringify(result.queried)}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
