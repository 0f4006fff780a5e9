/** A fresh key pair for the SSH relay: the private key for the sensor, the public line for the decky. */
export interface RelayKey {
  /** OpenSSH private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`, unencrypted). */
  privateKey: string;
  /** `ssh-ed25519 AAAA... comment`, an authorized_keys line. */
  publicKey: string;
}

const encoder = new TextEncoder();

/**
 * Generates an Ed25519 key pair in OpenSSH's formats, in memory: one per
 * decky, so a key taken from one decky opens no other, and it is never
 * written on the control-plane host.
 *
 * @param comment Comment of both keys (e.g. `root@ws-01`, as ssh-keygen writes).
 * @returns The private key file text and the public key line.
 * @example
 * ```ts
 * const { publicKey } = await generateRelayKey("root@ws-01");
 * publicKey.startsWith("ssh-ed25519 "); // true
 * ```
 */
export async function generateRelayKey(comment: string): Promise<RelayKey> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const pub = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const seed = pkcs8.subarray(pkcs8.length - 32);
  const keyType = encoder.encode("ssh-ed25519");
  const publicBlob = concat(sshString(keyType), sshString(pub));
  const check = crypto.getRandomValues(new Uint8Array(4));
  let secret = concat(
    check,
    check,
    sshString(keyType),
    sshString(pub),
    sshString(concat(seed, pub)),
    sshString(encoder.encode(comment)),
  );
  const pad = (8 - (secret.length % 8)) % 8;
  secret = concat(secret, Uint8Array.from({ length: pad }, (_, i) => i + 1));
  const file = concat(
    encoder.encode("openssh-key-v1\0"),
    sshString(encoder.encode("none")),
    sshString(encoder.encode("none")),
    sshString(new Uint8Array(0)),
    uint32(1),
    sshString(publicBlob),
    sshString(secret),
  );
  const body = base64(file).match(/.{1,70}/g)!.join("\n");
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${base64(publicBlob)} ${comment}`,
  };
}

function uint32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

function sshString(bytes: Uint8Array): Uint8Array {
  return concat(uint32(bytes.length), bytes);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
