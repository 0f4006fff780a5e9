import { type DecnetProcess, spawnDecnet } from "./spawn_decnet.ts";

/** `decnet up --only api,collector` with its sniffer child running, and the API's base URL. */
export interface SnifferUp {
  proc: DecnetProcess;
  api: string;
}

/**
 * Starts `decnet up --only api,collector` in `home` with DECNET_SNIFFER=on
 * (API on port 0, the first admin's password `adminPassword`, info logs:
 * the sniffer's lines are what tests wait for), plus `env`; resolves once
 * the API listens and the sniffer runs. Close `proc` (`await using`).
 *
 * @example
 * ```ts
 * import { spawnSnifferUp } from "./spawn_sniffer_up.ts";
 * declare const home: string;
 * const { proc, api } = await spawnSnifferUp(home, { adminPassword: "a-long-passphrase" });
 * await using _up = proc;
 * ```
 */
export async function spawnSnifferUp(
  home: string,
  options: { adminPassword: string; env?: Record<string, string> },
): Promise<SnifferUp> {
  const proc = spawnDecnet(["up", "--only", "api,collector"], {
    cwd: home,
    env: {
      DECNET_HOME: home,
      DECNET_API_PORT: "0",
      DECNET_ADMIN_PASSWORD: options.adminPassword,
      DECNET_SNIFFER: "on",
      DECNET_LOG_LEVEL: "info",
      ...options.env,
    },
  });
  try {
    const [, api] = await proc.waitForLine(/listening on (http:\/\/\S+)/, 60_000);
    await proc.waitForLine(/\[sniffer\] sniffer running/, 60_000);
    return { proc, api };
  } catch (e) {
    await proc.close();
    throw e;
  }
}
