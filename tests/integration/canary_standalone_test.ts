import assert from "node:assert/strict";
import { createRepositories } from "../../core/db/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { insertToken, openUpDatabase, waitForSlug } from "./_canary_up.ts";

const ZONE = "t.example.net";
const SLUG = "Standa1oneCanaryTestQ7";
const env = {
  DECNET_CANARY_HTTP_BIND: "127.0.0.1",
  DECNET_CANARY_HTTP_PORT: "0",
  DECNET_CANARY_DNS_BIND: "127.0.0.1",
  DECNET_CANARY_DNS_PORT: "0",
  DECNET_CANARY_DNS_ZONE: ZONE,
  DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
};

for (
  const [label, commands] of [
    ["decnet canary (collector in the same process)", [["canary"]]],
    ["decnet canary --no-collector beside decnet collect", [["canary", "--no-collector"], [
      "collect",
    ]]],
  ] as [string, string[][]][]
) {
  Deno.test({
    name: `${label} stores an HTTP callback`,
    ignore: !findBinary("dig"),
    async fn() {
      const cwd = await Deno.makeTempDir({ prefix: "canary-standalone-" });
      try {
        const procs = commands.map((args) => spawnDecnet(args, { cwd, env }));
        try {
          const listener = procs[0];
          const [, httpPort] = await listener.waitForLine(/Canary HTTP listening on [\d.]+:(\d+)/);
          const [, dnsPort] = await listener.waitForLine(/Canary DNS listening on [\d.]+:(\d+)/);
          // `decnet canary --no-collector` alone never creates the database: the collector does.
          await waitUntil(async () => {
            try {
              return (await Deno.stat(`${cwd}/var/decnet.db`)).isFile;
            } catch {
              return false;
            }
          }, { what: "the database created" });
          await using db = await openUpDatabase(cwd);
          await waitUntil(async () => {
            try {
              await insertToken(db, SLUG);
              return true;
            } catch {
              return false; // not migrated yet
            }
          }, { what: "the token inserted" });
          await waitForSlug("127.0.0.1", dnsPort, `ready.${SLUG}.${ZONE}`);
          const res = await fetch(`http://127.0.0.1:${httpPort}/c/${SLUG}`);
          assert.equal(res.status, 200);
          await res.body?.cancel();
          const canary = createRepositories(db).canary;
          await waitUntil(async () => {
            const { items } = await canary.listTriggers(undefined, { limit: 10, offset: 0 });
            return items.some((t) => t.request_path === `/c/${SLUG}`);
          }, { what: "the HTTP callback stored" });
        } finally {
          for (const p of procs) assert.equal((await p.close()).code, 0);
        }
      } finally {
        await Deno.remove(cwd, { recursive: true });
      }
    },
  });
}
