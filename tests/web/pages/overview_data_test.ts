import assert from "node:assert/strict";
import type { KyselyPlugin, RootOperationNode } from "kysely";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { loadOverview, RECENT_TRIGGERS } from "../../../web/pages/overview_data.ts";
import { makeTokenInput } from "../_token_fixture.ts";

/** Records every query the repositories run (a counting driver: the nodes Kysely executes). */
function countingPlugin(queries: RootOperationNode[]): KyselyPlugin {
  return {
    transformQuery: ({ node }) => {
      queries.push(node);
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
  };
}

Deno.test("loadOverview() reads the recent triggers in one query, however many tokens they name", async (t) => {
  const totals: number[] = [];
  for (const tokens of [0, 1, 3, RECENT_TRIGGERS]) {
    await t.step(`${tokens} tokens`, async () => {
      await using handle = await openMigratedDatabase("sqlite::memory:");
      const seed = createRepositories(handle);
      for (let i = 0; i < tokens; i++) {
        const token = await seed.canary.insertToken(makeTokenInput({
          uuid: crypto.randomUUID(),
          callback_token: `Slug${i}`.padEnd(22, "x"),
          kind: i % 2 ? "dns" : "http",
          decky_name: `ws-${i}`,
        }));
        await seed.canary.recordTriggers([{
          tokenUuid: token.uuid,
          occurredAt: new Date(Date.UTC(2026, 10, 18, 14, 0, i)),
          srcIp: `192.0.2.${i}`,
          userAgent: "curl/8.0",
          method: "GET",
          requestPath: `/c/Slug${i}`,
          dnsQname: null,
          dnsClientSubnet: null,
          headers: {},
        }]);
      }
      const queries: RootOperationNode[] = [];
      const counted = createRepositories({
        ...handle,
        db: handle.db.withPlugin(countingPlugin(queries)),
      });
      const data = await loadOverview({
        repos: counted,
        now: () => new Date("2026-11-18T15:00:00.000Z"),
        workerHealth: () => [],
      });
      // Newest first, each with its token's kind and decky.
      assert.deepEqual(
        data.triggers.map((r) => [r.decky_name, r.token_kind]),
        Array.from({ length: tokens }, (_, i) => tokens - 1 - i)
          .map((i) => [`ws-${i}`, i % 2 ? "dns" : "http"]),
      );
      const canaryReads = queries.filter((q) =>
        /"canary_(triggers|tokens)"/.test(JSON.stringify(q))
      );
      assert.equal(canaryReads.length, 1, "one query for the triggers and their tokens");
      totals.push(queries.length);
      assert.equal(queries.length, totals[0], "as many queries as with no trigger");
    });
  }
});
