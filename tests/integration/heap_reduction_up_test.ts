// Once `decnet up` goes quiet after its start, each Worker runs V8's memory-reducing collection
// (issue #20): run as the launchers run it (V8_FLAGS: --expose-gc), the canary worker says so at
// debug level with its heap before and after.
import assert from "node:assert/strict";
import { V8_FLAGS } from "../../tools/build_bundle.ts";
import { decnetFromSource } from "../infra/decnet_from_source.ts";

Deno.test("decnet up reduces each Worker's heap once it is quiet after its start", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "heap-reduction-" });
  const [program, ...runArgs] = decnetFromSource([V8_FLAGS]);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!k.startsWith("DECNET_")) env[k] = v;
  }
  const child = new Deno.Command(program, {
    args: [...runArgs, "up", "--only", "canary"],
    cwd,
    env: {
      ...env,
      DECNET_LOG_LEVEL: "debug",
      DECNET_CANARY_HTTP_PORT: "0",
      DECNET_CANARY_DNS_PORT: "0",
    },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    let text = "";
    let reduced: RegExpMatchArray | null = null;
    const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      reduced = /\[canary\] heap reduced heap_bytes_before=(\d+) heap_bytes_after=(\d+)/.exec(text);
      if (reduced) break;
    }
    clearTimeout(deadline);
    assert.ok(reduced, `no "heap reduced" from the canary worker within 60 s:\n${text}`);
    assert.ok(Number(reduced[2]) < Number(reduced[1]), reduced[0]);
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    await child.status;
    await Deno.remove(cwd, { recursive: true });
  }
});
