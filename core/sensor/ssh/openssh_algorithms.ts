/**
 * The algorithm lists OpenSSH 9.2p1 (Debian bookworm, stock sshd_config with
 * RSA, ECDSA and Ed25519 host keys) sends in its KEXINIT, in its order, less
 * what the SSH library cannot negotiate: sntrup761x25519-sha512@openssh.com
 * (and Debian's later alias without the suffix) and the four umac MACs.
 * Offering those would break every OpenSSH client, which prefers them.
 * ssh2 appends kex-strict-s-v00@openssh.com itself, as Debian's Terrapin fix does.
 */
export const OPENSSH_ALGORITHMS = Object.freeze({
  kex: [
    "curve25519-sha256",
    "curve25519-sha256@libssh.org",
    "ecdh-sha2-nistp256",
    "ecdh-sha2-nistp384",
    "ecdh-sha2-nistp521",
    "diffie-hellman-group-exchange-sha256",
    "diffie-hellman-group16-sha512",
    "diffie-hellman-group18-sha512",
    "diffie-hellman-group14-sha256",
  ],
  serverHostKey: ["rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256", "ssh-ed25519"],
  cipher: [
    "chacha20-poly1305@openssh.com",
    "aes128-ctr",
    "aes192-ctr",
    "aes256-ctr",
    "aes128-gcm@openssh.com",
    "aes256-gcm@openssh.com",
  ],
  hmac: [
    "hmac-sha2-256-etm@openssh.com",
    "hmac-sha2-512-etm@openssh.com",
    "hmac-sha1-etm@openssh.com",
    "hmac-sha2-256",
    "hmac-sha2-512",
    "hmac-sha1",
  ],
  compress: ["none", "zlib@openssh.com"],
});

/** Debian bookworm's OpenSSH identification, without the `SSH-2.0-` prefix. */
export const DEFAULT_SSH_SOFTWARE = "OpenSSH_9.2p1 Debian-2+deb12u3";
