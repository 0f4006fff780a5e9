import { utils } from "./_ssh2.ts";

/** The host key types Debian's sshd has, in the order sshd loads them. */
const HOST_KEY_TYPES = ["rsa", "ecdsa", "ed25519"] as const;

const cache = new Map<string, Promise<string[]>>();

/**
 * The sensor's host private keys (OpenSSH format), RSA then ECDSA then
 * Ed25519 as on a Debian host. Read from `dir` (`ssh_host_<type>_key`, the
 * layout of /etc/ssh) so a decky keeps its keys across restarts; without a
 * folder, generated once per process.
 *
 * @example
 * ```ts
 * const keys = await sshHostKeys("/etc/ssh");
 * ```
 * @throws {Deno.errors.NotFound} when a key file is missing from `dir`
 */
export function sshHostKeys(dir?: string): Promise<string[]> {
  const key = dir ?? "";
  let keys = cache.get(key);
  if (!keys) {
    keys = dir === undefined ? Promise.resolve(generate()) : read(dir);
    cache.set(key, keys);
    keys.catch(() => cache.delete(key));
  }
  return keys;
}

function generate(): string[] {
  return [
    utils.generateKeyPairSync("rsa", { bits: 3072 }).private,
    utils.generateKeyPairSync("ecdsa", { bits: 256 }).private,
    utils.generateKeyPairSync("ed25519").private,
  ];
}

function read(dir: string): Promise<string[]> {
  return Promise.all(
    HOST_KEY_TYPES.map((type) => Deno.readTextFile(`${dir}/ssh_host_${type}_key`)),
  );
}
