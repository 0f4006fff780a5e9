import { createHash } from "node:crypto";
import type { KexInit } from "./kex_init.ts";

/** A client's HASSH fingerprint and the string it hashes. */
export interface Hassh {
  /** Lower-case hex MD5 of {@linkcode Hassh.hassh_algorithms}. */
  hassh: string;
  /** `kex;encryption_c2s;mac_c2s;compression_c2s`, each list comma-joined. */
  hassh_algorithms: string;
}

/**
 * The HASSH of a client KEXINIT, as Salesforce's specification defines it:
 * the MD5 of its client-to-server key exchange, encryption, MAC and
 * compression lists joined by `;`. Field names are those the event carries.
 *
 * @example
 * ```ts
 * import { parseKexInit } from "./kex_init.ts";
 * declare const payload: Uint8Array;
 * const { hassh: fingerprint } = hassh(parseKexInit(payload));
 * ```
 */
export function hassh(kex: KexInit): Hassh {
  const algorithms = [kex.kex, kex.encryptionC2s, kex.macC2s, kex.compressionC2s]
    .map((list) => list.join(","))
    .join(";");
  return {
    hassh: createHash("md5").update(algorithms).digest("hex"),
    hassh_algorithms: algorithms,
  };
}
