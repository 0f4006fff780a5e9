import assert from "node:assert/strict";
import { generateRelayKey } from "../../../core/sensor/mod.ts";

Deno.test("generateRelayKey() writes a key pair ssh-keygen reads and matches", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const key = await generateRelayKey("root@ws-01");
    assert.match(
      key.publicKey,
      /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/=]+ root@ws-01$/,
    );
    await Deno.writeTextFile(`${dir}/id`, key.privateKey, { mode: 0o600 });
    const derived = await new Deno.Command("ssh-keygen", {
      args: ["-y", "-f", `${dir}/id`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(derived.code, 0, new TextDecoder().decode(derived.stderr));
    assert.equal(new TextDecoder().decode(derived.stdout).trim(), key.publicKey);
    assert.notEqual(
      (await generateRelayKey("x")).publicKey.split(" ")[1],
      key.publicKey.split(" ")[1],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
