import assert from "node:assert/strict";
import { createRepositories } from "../../core/db/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { signInAdmin } from "../infra/sign_in_admin.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { sendCallbacks } from "./_callback_load.ts";
import {
  canaryUpEnv,
  insertToken,
  openUpDatabase,
  waitForCanaryUp,
  waitForSlug,
} from "./_canary_up.ts";

const ZONE = "t.example.net";
const SLUG = "J0urna1B0undTestQq7Rr8";

interface WorkerView {
  name: string;
  state: string;
  extras: Record<string, unknown>;
}

Deno.test({
  name: "decnet up keeps answering when the canary journal is full, and counts the loss in health",
  ignore: !findBinary("dig"),
  async fn() {
    const cwd = await Deno.makeTempDir({ prefix: "journal-bound-" });
    try {
      await using proc = spawnDecnet(["up", "--only", "api,canary,collector"], {
        cwd,
        env: { ...canaryUpEnv(ZONE), DECNET_CANARY_JOURNAL_MAX: "4KiB" },
      });
      const [, password] = await proc.waitForLine(/password "([^"]+)"/);
      const { httpPort, dnsPort, api } = await waitForCanaryUp(proc);
      await using db = await openUpDatabase(cwd);
      const uuid = await insertToken(db, SLUG);
      await waitForSlug("127.0.0.1", dnsPort, `ready.${SLUG}.${ZONE}`);
      const auth = (await signInAdmin(api, password)).headers;
      const canaryHealth = async () => {
        const body = await (await fetch(`${api}/api/v1/health`)).json();
        return (body.workers as WorkerView[]).find((w) => w.name === "canary")!;
      };
      const collectorState = async () => {
        const body = await (await fetch(`${api}/api/v1/workers`, { headers: auth })).json();
        return (body.items as WorkerView[]).find((w) => w.name === "collector")?.state;
      };
      // With the collector stopped nothing drains the journal: it fills to its 4 KiB bound.
      await (await fetch(`${api}/api/v1/workers/collector/stop`, { method: "POST", headers: auth }))
        .body?.cancel();
      await waitUntil(async () => (await collectorState()) === "stopped", {
        what: "collector stopped",
      });
      const load = await sendCallbacks(`http://127.0.0.1:${httpPort}/c/${SLUG}`, {
        total: 200,
        concurrency: 10,
      });
      assert.equal(load.acknowledged, 200, "the listener answers every callback");
      // Every callback since start (the DNS readiness probe and the 200) is committed or lost.
      const accounted = (e: Record<string, unknown>) =>
        Number(e.journal_committed) + Number(e.journal_lost);
      await waitUntil(async () => accounted((await canaryHealth()).extras) === 201, {
        what: "the loss visible in /api/v1/health",
      });
      const extras = (await canaryHealth()).extras;
      assert.equal(extras.journal_full, true);
      const lost = Number(extras.journal_lost);
      assert.ok(lost > 100 && lost < 200, `lost ${lost} of 200 with a 4 KiB journal`);

      // Once the collector is back, what the journal kept is stored; the rest was counted lost.
      await (await fetch(`${api}/api/v1/workers/collector/start`, {
        method: "POST",
        headers: auth,
      }))
        .body?.cancel();
      const canary = createRepositories(db).canary;
      const storedHttp = async () =>
        (await canary.listTriggers(uuid, { limit: 1000, offset: 0 })).items
          .filter((t) => t.request_path !== null).reduce((n, t) => n + Number(t.hit_count), 0);
      await waitUntil(async () => (await storedHttp()) === 200 - lost, {
        what: `${200 - lost} journaled triggers stored`,
      });
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
