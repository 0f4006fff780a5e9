import { createRepositories, type DbHandle, openDatabase } from "../../core/db/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import type { DecnetProcess } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

/** Inserts an issued http token with `slug` (what the API would do) and returns its uuid. */
export async function insertToken(handle: DbHandle, slug: string): Promise<string> {
  const uuid = crypto.randomUUID();
  await createRepositories(handle).canary.insertToken({
    uuid,
    callback_token: slug,
    kind: "http",
    generator: "git_config",
    blob_uuid: null,
    content_class: null,
    decky_name: "ws-01",
    decky_uuid: null,
    placement_path: null,
    persona: null,
    http_base: "http://127.0.0.1:8088",
    dns_zone: "t.example.net",
    state: "issued",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
  });
  return uuid;
}

/** Opens the SQLite database `decnet up` keeps in `<cwd>/var`. */
export function openUpDatabase(cwd: string): Promise<DbHandle> {
  return openDatabase(`sqlite:${cwd}/var/decnet.db`);
}

/** Runs dig with `args` (no retries beyond one, short timeout) and returns its output. */
export async function dig(args: string[], prefix: string[] = []): Promise<string> {
  const argv = [...prefix, findBinary("dig")!, "+time=2", "+tries=1", ...args];
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

/** The DNS sinkhole the canary integration tests configure (a private address, as required). */
export const SINKHOLE = "10.20.0.80";

/** Waits until the listeners know `slug` (the collector's snapshot reached the canary worker). */
export async function waitForSlug(dnsAddress: string, port: string, name: string): Promise<void> {
  await waitUntil(
    async () =>
      (await dig([`@${dnsAddress}`, "-p", port, "+short", name, "A"])).trim() === SINKHOLE,
    { what: `${name} answered` },
  );
}

/** The environment of a `decnet up` whose canary listeners take free ports on 127.0.0.1, for `zone`. */
export function canaryUpEnv(zone: string): Record<string, string> {
  return {
    DECNET_API_PORT: "0",
    DECNET_CANARY_HTTP_BIND: "127.0.0.1",
    DECNET_CANARY_HTTP_PORT: "0",
    DECNET_CANARY_DNS_BIND: "127.0.0.1",
    DECNET_CANARY_DNS_PORT: "0",
    DECNET_CANARY_DNS_ZONE: zone,
    DECNET_CANARY_DNS_SINKHOLE: SINKHOLE,
  };
}

/** Where a `decnet up` started with {@linkcode canaryUpEnv} listens. */
export interface CanaryUpListeners {
  httpPort: string;
  dnsPort: string;
  /** The API's base URL. */
  api: string;
}

/** Waits until the canary listeners and the API of `proc` print where they listen. */
export async function waitForCanaryUp(proc: DecnetProcess): Promise<CanaryUpListeners> {
  const [, httpPort] = await proc.waitForLine(/Canary HTTP listening on [\d.]+:(\d+)/);
  const [, dnsPort] = await proc.waitForLine(/Canary DNS listening on [\d.]+:(\d+)/);
  const [, api] = await proc.waitForLine(/API and dashboard listening on (http:\/\/\S+)/);
  return { httpPort, dnsPort, api };
}
