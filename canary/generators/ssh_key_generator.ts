import { createPrivateKey, createPublicKey } from "node:crypto";
import type { CanaryContext } from "../canary_context.ts";
import { artifactDates } from "../artifact_dates.ts";
import { callbackHost } from "../callback_host.ts";
import { homePath } from "../home_path.ts";
import { resolvePersona } from "../resolve_persona.ts";
import { SlugRandom } from "../slug_random.ts";
import { concatBytes } from "../_bytes.ts";
import type { Artifact, Generator } from "./artifact.ts";
import { datedArtifact } from "./_dated_artifact.ts";

const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
]);

function u32(n: number): Uint8Array {
  return Uint8Array.from([n >>> 24 & 255, n >>> 16 & 255, n >>> 8 & 255, n & 255]);
}

function sshString(data: Uint8Array | string): Uint8Array {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return concatBytes([u32(bytes.length), bytes]);
}

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Public half of an Ed25519 key from its 32-byte seed. */
function ed25519Public(seed: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: concatBytes([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const jwk = createPublicKey(key).export({ format: "jwk" }) as { x: string };
  const b64 = jwk.x.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/**
 * An OpenSSH Ed25519 private key (valid: `ssh-keygen -y` reads it) whose
 * comment is `<user>@<slug>.<zone>`, so trying the host it names resolves the bait name.
 */
export const sshKeyGenerator: Generator = {
  name: "ssh_key",
  kind: "dns",
  needs: [],
  description: "OpenSSH private key whose comment names <user>@<slug>.<zone>",
  generate(context: CanaryContext): Promise<Artifact> {
    const rng = new SlugRandom(context.slug, "ssh_key");
    const persona = resolvePersona(context);
    const seed = rng.bytes(32);
    const pub = ed25519Public(seed);
    const comment = `${persona.login}@${callbackHost(context)}`;
    const pubBlob = concatBytes([sshString("ssh-ed25519"), sshString(pub)]);
    const check = rng.bytes(4);
    let priv = concatBytes([
      check,
      check,
      sshString("ssh-ed25519"),
      sshString(pub),
      sshString(concatBytes([seed, pub])),
      sshString(comment),
    ]);
    const pad: number[] = [];
    for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
    priv = concatBytes([priv, Uint8Array.from(pad)]);
    const body = concatBytes([
      new TextEncoder().encode("openssh-key-v1\0"),
      sshString("none"),
      sshString("none"),
      sshString(""),
      u32(1),
      sshString(pubBlob),
      sshString(priv),
    ]);
    const lines = base64(body).match(/.{1,70}/g) ?? [];
    const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n` +
      "-----END OPENSSH PRIVATE KEY-----\n";
    const dates = artifactDates(context, "ssh_key");
    return Promise.resolve(datedArtifact(sshKeyGenerator, dates, {
      defaultPath: homePath(persona, [".ssh", "id_ed25519"]),
      bytes: text,
      mode: 0o600,
      mime: "text/plain",
      notes: context.dnsZone
        ? `Connecting to the host in the key comment (${comment}) resolves the bait name.`
        : `No DNS zone: the comment names the HTTP host (${comment}); acts as a passive lure.`,
    }));
  },
};
