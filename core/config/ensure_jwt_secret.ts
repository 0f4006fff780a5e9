import { join } from "node:path";
import type { Config } from "./config.ts";

/**
 * The JWT signing key: DECNET_JWT_SECRET when set, else the one kept in
 * `<home>/jwt_secret`, generated (mode 0600) the first time.
 *
 * @example
 * ```ts
 * import type { Config } from "./config.ts";
 * declare const config: Config;
 * const secret = await ensureJwtSecret(config);
 * ```
 */
export async function ensureJwtSecret(
  config: Pick<Config, "jwtSecret" | "home">,
): Promise<string> {
  if (config.jwtSecret !== null) return config.jwtSecret;
  const path = join(config.home, "jwt_secret");
  try {
    const kept = (await Deno.readTextFile(path)).trim();
    if (kept.length >= 32) return kept;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  await Deno.mkdir(config.home, { recursive: true, mode: 0o700 });
  const secret = toBase64Url(crypto.getRandomValues(new Uint8Array(48)));
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(tmp, secret + "\n", { mode: 0o600 });
  await Deno.chmod(tmp, 0o600);
  await Deno.rename(tmp, path);
  return secret;
}

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}
