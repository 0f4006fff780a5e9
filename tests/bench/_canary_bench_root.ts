/**
 * The canary listener's parts a bench drives, loaded from `BENCH_ROOT`
 * (another checkout, to compare two versions in the same minutes) or from
 * this one.
 *
 * @module
 */
type Journal = typeof import("../../core/journal/mod.ts");
type Receiver = typeof import("../../canary/receiver/mod.ts");
type Snapshot = typeof import("../../canary/receiver/active_token_snapshot.ts");
type Sink = typeof import("../../canary/receiver/journal_trigger_sink.ts");
type Log = typeof import("../../core/log/mod.ts");

/** The checkout the parts come from. */
export const benchRoot = Deno.env.get("BENCH_ROOT") ?? new URL("../..", import.meta.url).pathname;

/** Journal, listener, token snapshot, journal sink and logger of {@linkcode benchRoot}. */
export const canary = {
  ...(await import(`${benchRoot}/core/journal/mod.ts`) as Journal),
  ...(await import(`${benchRoot}/canary/receiver/mod.ts`) as Receiver),
  ...(await import(`${benchRoot}/canary/receiver/active_token_snapshot.ts`) as Snapshot),
  ...(await import(`${benchRoot}/canary/receiver/journal_trigger_sink.ts`) as Sink),
  ...(await import(`${benchRoot}/core/log/mod.ts`) as Log),
};
