import type { DockerClient } from "../docker/mod.ts";
import { shellScript, tarStream } from "../docker/mod.ts";
import type { RelayKey } from "../sensor/generate_relay_key.ts";
import { SENSOR_SECRETS_DIR } from "../sensor/sensor_image.ts";
import { gateFleetSshPort, SSH_FLEET_PORT } from "./gate_fleet_ssh_port.ts";

/** Where the decky's own sshd listens for the sensor once the sensor owns port 22: its loopback. */
export const SSH_RELAY_UPSTREAM = `127.0.0.1:${SSH_FLEET_PORT}`;
/** The relay's private key inside the sensor container. */
export const SSH_RELAY_KEY_PATH = `${SENSOR_SECRETS_DIR}/ssh_key`;

/** Options for {@linkcode prepareSshRelay}. */
export interface PrepareSshRelayOptions {
  /** The accepted logins of the decky's ssh sensor. @default none */
  logins?: readonly string[];
  /**
   * The decky's LAN address, where sshd also listens on the fleet port; only
   * once the gate is in place (see {@linkcode gateFleetSshPort}). @default none
   */
  lanAddress?: string;
}

// $1 the loopback listen address, $2 the LAN one ("" for none), $3 authorized_keys line, then
// the logins to authorize it for (those that exist). Exit 3: no sshd in this image (nothing to
// relay to). The key is restricted to loopback clients; an earlier relay key (same restriction)
// is replaced. Passwords are off: the relay and the fleet's sessions use keys, and a login
// sshd would accept is one the sensor did not record.
const SCRIPT = `command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || exit 3
mkdir -p /etc/ssh/sshd_config.d || exit 1
{ printf 'ListenAddress %s\n' "$1"; [ -z "$2" ] || printf 'ListenAddress %s\n' "$2"
  printf 'PasswordAuthentication no\n'; } > /etc/ssh/sshd_config.d/local.conf || exit 1
key="$3"; shift 3
for user in root "$@"; do
  home=$(awk -F: -v u="$user" '$1 == u { print $6 }' /etc/passwd)
  [ -n "$home" ] && [ -d "$home" ] || continue
  mkdir -p "$home/.ssh" && chmod 700 "$home/.ssh" || exit 1
  keys="$home/.ssh/authorized_keys"
  touch "$keys" && grep -v '^from="127.0.0.1" ' "$keys" > "$keys.new"
  printf 'from="127.0.0.1" %s\n' "$key" >> "$keys.new" && mv "$keys.new" "$keys" || exit 1
  chmod 600 "$keys" && chown -R "$user" "$home/.ssh" || exit 1
done
if [ -f /run/sshd.pid ]; then kill -HUP "$(cat /run/sshd.pid)"; fi
exit 0`;

/**
 * Puts the gate in front of the decky's fleet port (see
 * {@linkcode gateFleetSshPort}, no peer let through yet) and returns the
 * decky's address on `network` for sshd to listen on behind it; undefined
 * when the decky's image has no `nft` to gate it with (no fleet port then).
 *
 * @param docker The Docker client.
 * @param base The decky's base container (running).
 * @param network The decky's network.
 * @returns The LAN address, or undefined.
 * @throws from core/docker when Docker refuses
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/mod.ts";
 * declare const docker: DockerClient;
 * await fleetSshAddress(docker, "ws-01", "lan"); // "192.0.2.11"
 * ```
 */
export async function fleetSshAddress(
  docker: DockerClient,
  base: string,
  network: string,
): Promise<string | undefined> {
  if (await gateFleetSshPort(docker, base) === "unavailable") return undefined;
  return (await docker.inspectContainer(base))?.networks[network]?.ipAddress || undefined;
}

/**
 * Moves the decky's own sshd (if its base image has one) to the decky's
 * loopback ({@linkcode SSH_RELAY_UPSTREAM}), so the sensor owns port 22 and
 * relays accepted sessions to it, and, given `lanAddress`, to the same port
 * on the decky's LAN address for the fleet's own sessions. Authorizes `key`
 * from loopback only for root and each of `logins` the decky has (the relay
 * logs in as the user the attacker logged in as), turns passwords off, and
 * restarts sshd by SIGHUP.
 *
 * @param docker The Docker client.
 * @param base The decky's base container (running).
 * @param key The relay key pair (its public half is used here).
 * @param options Logins to authorize, and the LAN address.
 * @returns false when the image has no sshd (no relay).
 * @throws {Error} naming the container when the script fails
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/mod.ts";
 * import { generateRelayKey } from "../sensor/generate_relay_key.ts";
 * declare const docker: DockerClient;
 * await prepareSshRelay(docker, "ws-01", await generateRelayKey("root@ws-01")); // true
 * ```
 */
export async function prepareSshRelay(
  docker: DockerClient,
  base: string,
  key: RelayKey,
  options: PrepareSshRelayOptions = {},
): Promise<boolean> {
  const lan = options.lanAddress ? `${options.lanAddress}:${SSH_FLEET_PORT}` : "";
  const r = await docker.exec(
    base,
    shellScript(SCRIPT, [SSH_RELAY_UPSTREAM, lan, key.publicKey, ...options.logins ?? []]),
    { user: "0" },
  );
  if (r.exitCode === 3) return false;
  if (r.exitCode !== 0) {
    const stderr = new TextDecoder().decode(r.stderr).trim().slice(0, 200);
    throw new Error(`Cannot prepare the ssh relay in ${base}: exit ${r.exitCode}, got "${stderr}"`);
  }
  return true;
}

/**
 * Puts the relay's private key into the (created, not yet started) sensor
 * container: readable by the sensor's group only, written nowhere else.
 *
 * @param docker The Docker client.
 * @param sensor The sensor container.
 * @param key The relay key pair (its private half is used here).
 */
export async function installRelayKey(
  docker: DockerClient,
  sensor: string,
  key: RelayKey,
): Promise<void> {
  const name = SSH_RELAY_KEY_PATH.split("/").pop()!;
  const dir = SENSOR_SECRETS_DIR.split("/").pop()!;
  const parent = SENSOR_SECRETS_DIR.slice(0, SENSOR_SECRETS_DIR.lastIndexOf("/")) || "/";
  await docker.copyToContainer(
    sensor,
    tarStream([
      { type: "dir", path: dir, mode: 0o750, gid: 8 },
      {
        type: "file",
        path: `${dir}/${name}`,
        mode: 0o440,
        gid: 8,
        bytes: new TextEncoder().encode(key.privateKey),
      },
    ]),
    { path: parent },
  );
}
