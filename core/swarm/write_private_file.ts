import { dirname } from "node:path";

/**
 * Writes a secret file atomically with mode 0600 (a temporary file in the
 * same 0700 directory, then renamed over), so no reader ever sees half of it
 * and no other user can read it at any moment.
 *
 * @example
 * ```ts
 * import { writePrivateFile } from "./write_private_file.ts";
 * await writePrivateFile("/var/lib/decnet/swarm/agent.creds", "…");
 * ```
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(tmp, text, { mode: 0o600 });
    // The mode given at creation is masked by umask; set it outright.
    await Deno.chmod(tmp, 0o600);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}
