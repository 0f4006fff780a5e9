import type { DockerClient } from "../docker/mod.ts";
import { shellScript, tarStream } from "../docker/mod.ts";
import type { RelayKey } from "../sensor/generate_relay_key.ts";
import { SENSOR_SECRETS_DIR } from "../sensor/sensor_image.ts";

/** Where the decky's own sshd listens once the sensor owns port 22: its loopback only. */
export const SSH_RELAY_UPSTREAM = "127.0.0.1:2222";
/** The relay's private key inside the sensor container. */
export const SSH_RELAY_KEY_PATH = `${SENSOR_SECRETS_DIR}/ssh_key`;

// $1 listen address, $2 authorized_keys line, then the logins to authorize it for (those that
// exist). Exit 3: no sshd in this image (nothing to relay to). The key is restricted to loopback
// clients; an earlier relay key (same restriction) is replaced.
const SCRIPT = `command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || exit 3
mkdir -p /etc/ssh/sshd_config.d || exit 1
printf 'ListenAddress %s\\n' "$1" > /etc/ssh/sshd_config.d/local.conf || exit 1
key="$2"; shift 2
for user in root "$@"; do
  home=$(awk -F: -v u="$user" '$1 == u { print $6 }' /etc/passwd)
  [ -n "$home" ] && [ -d "$home" ] || continue
  mkdir -p "$home/.ssh" && chmod 700 "$home/.ssh" || exit 1
  keys="$home/.ssh/authorized_keys"
  touch "$keys" && grep -v '^from="127.0.0.1" ' "$keys" > "$keys.new"
  printf 'from="127.0.0.1" %s\\n' "$key" >> "$keys.new" && mv "$keys.new" "$keys" || exit 1
  chmod 600 "$keys" && chown -R "$user" "$home/.ssh" || exit 1
done
if [ -f /run/sshd.pid ]; then kill -HUP "$(cat /run/sshd.pid)"; fi
exit 0`;

/**
 * Moves the decky's own sshd (if its base image has one) to the decky's
 * loopback ({@linkcode SSH_RELAY_UPSTREAM}), so the sensor owns port 22 and
 * relays accepted sessions to it, and authorizes `key` from loopback only
 * for root and each of `logins` the decky has (the relay logs in as the
 * user the attacker logged in as). Restarts sshd by SIGHUP.
 *
 * @param docker The Docker client.
 * @param base The decky's base container (running).
 * @param key The relay key pair (its public half is used here).
 * @param logins The accepted logins of the decky's ssh sensor.
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
  logins: readonly string[] = [],
): Promise<boolean> {
  const r = await docker.exec(
    base,
    shellScript(SCRIPT, [SSH_RELAY_UPSTREAM, key.publicKey, ...logins]),
    {
      user: "0",
    },
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
