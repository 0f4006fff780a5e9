/**
 * The canary worker's own sink for the listener benches: a SQLite database
 * with {@linkcode BENCH_TOKENS} tokens, the collector's journal ingest (which
 * writes the active tokens snapshot and later stores what was journaled),
 * the snapshot and the fsync'd trigger journal, as in production.
 */
import { ActiveTokenSnapshot } from "../../canary/receiver/active_token_snapshot.ts";
import { JournalTriggerSink } from "../../canary/receiver/journal_trigger_sink.ts";
import { CanaryJournalIngest } from "../../core/attackers/canary_journal_ingest.ts";
import { MemoryBus } from "../../core/bus/mod.ts";
import type { Repositories } from "../../core/db/mod.ts";
import { createRepositories, migrateToLatest, openDatabase } from "../../core/db/mod.ts";
import { canarySpoolPaths, JournalWriter } from "../../core/journal/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { makeTokenInput } from "../web/_token_fixture.ts";

/** The zone the benches' DNS listeners serve. */
export const BENCH_ZONE = "t.example.net";
/** Tokens made: slugs `benchSlug(0)` to `benchSlug(BENCH_TOKENS - 1)`. */
export const BENCH_TOKENS = 20;

/** The slug of bench token `i`. */
export function benchSlug(i: number): string {
  return `Bench${String(i).padStart(4, "0")}xYzAbCdEfGhIj`.slice(0, 22);
}

/** What {@linkcode openCanaryBenchSink} made; closing removes it all. */
export interface CanaryBenchSink extends AsyncDisposable {
  /** A temporary folder for the bench's own files too. */
  dir: string;
  repos: Repositories;
  ingest: CanaryJournalIngest;
  journal: JournalWriter;
  sink: JournalTriggerSink;
}

/** Opens the sink in a fresh temporary folder. */
export async function openCanaryBenchSink(prefix: string): Promise<CanaryBenchSink> {
  const quiet = new Logger({ level: "error" });
  const dir = await Deno.makeTempDir({ prefix });
  const handle = await openDatabase(`sqlite:${dir}/bench.db`);
  await migrateToLatest(handle);
  const repos = createRepositories(handle);
  for (let i = 0; i < BENCH_TOKENS; i++) {
    await repos.canary.insertToken(makeTokenInput({
      uuid: crypto.randomUUID(),
      callback_token: benchSlug(i),
      generator: null,
      decky_name: null,
      placement_path: null,
      http_base: "http://127.0.0.1",
      dns_zone: BENCH_ZONE,
      state: "issued",
    }));
  }
  const spool = canarySpoolPaths(dir);
  const ingest = new CanaryJournalIngest({
    journal: "canary@bench",
    spool,
    repository: repos.canaryJournals,
    bus: new MemoryBus({ broadcast: false }),
    log: quiet,
  });
  await ingest.refreshTokens();
  const snapshot = await ActiveTokenSnapshot.open(spool.tokensFile, { log: quiet });
  const journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 3 });
  return {
    dir,
    repos,
    ingest,
    journal,
    sink: new JournalTriggerSink(journal, snapshot),
    async [Symbol.asyncDispose]() {
      await ingest.close();
      await journal.close();
      await snapshot.close();
      await handle.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
