import type { DockerClient } from "../../../core/docker/mod.ts";

/** A DockerClient whose exec runs the argv on this host (GNU coreutils and tar, as on a Debian decky). */
export const hostExec = {
  async exec(_container: string, argv: string[], options: { stdin?: Uint8Array } = {}) {
    const child = new Deno.Command(argv[0], {
      args: argv.slice(1),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: { TZ: "UTC" },
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(options.stdin ?? new Uint8Array());
    await writer.close();
    const out = await child.output();
    return { exitCode: out.code, stdout: out.stdout, stderr: out.stderr };
  },
} as unknown as DockerClient;
