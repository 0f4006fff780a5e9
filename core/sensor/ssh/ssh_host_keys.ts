import { type ParsedKey, utils } from "./_ssh2.ts";

/** The host key types Debian's sshd has, in the order sshd loads them. */
const HOST_KEY_TYPES = ["rsa", "ecdsa", "ed25519"] as const;

/** Host keys by the signature algorithms each serves, as the SSH library wants them. */
export type SshHostKeys = Record<string, ParsedKey>;

const cache = new Map<string, Promise<SshHostKeys>>();

/**
 * The sensor's host keys, RSA then ECDSA then Ed25519 as on a Debian host,
 * by signature algorithm (the RSA key signs rsa-sha2-512 and rsa-sha2-256,
 * not ssh-rsa, as in OpenSSH 9). Read from `dir` (`ssh_host_<type>_key`,
 * the layout of /etc/ssh) so a decky keeps its keys across restarts;
 * without a folder, generated once per process.
 *
 * @example
 * ```ts
 * const keys = await sshHostKeys("/etc/ssh"); // { "rsa-sha2-512": ..., "ssh-ed25519": ... }
 * ```
 * @throws {Deno.errors.NotFound} when a key file is missing from `dir`
 * @throws {SyntaxError} when a key file cannot be parsed
 */
export function sshHostKeys(dir?: string): Promise<SshHostKeys> {
  const key = dir ?? "";
  let keys = cache.get(key);
  if (!keys) {
    keys = (dir === undefined ? Promise.resolve(generate()) : read(dir)).then(byAlgorithm);
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

function byAlgorithm(pems: string[]): SshHostKeys {
  const keys: SshHostKeys = {};
  pems.forEach((pem, i) => {
    const parsed = utils.parseKey(pem);
    if (parsed instanceof Error) {
      throw new SyntaxError(`Cannot parse ssh_host_${HOST_KEY_TYPES[i]}_key: ${parsed.message}`);
    }
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key.type === "ssh-rsa") keys["rsa-sha2-512"] = keys["rsa-sha2-256"] = key;
    else keys[key.type] = key;
  });
  return keys;
}
