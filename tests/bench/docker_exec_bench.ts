/**
 * Docker exec round trip with stdin (`cat` of 4 KiB) through core/docker versus
 * the `docker` CLI doing the same (`docker -H unix://… exec -i box cat`), against
 * a private dockerd (tests/infra/dockerd.ts). Prints median and p95 in ms.
 * Usage: deno run -A tests/bench/docker_exec_bench.ts [iterations=50]
 */
import { openDocker } from "../../core/docker/mod.ts";
import { printLine } from "../../core/log/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage } from "../infra/test_image.ts";

const iterations = Number(Deno.args[0] ?? 50);
const unavailable = dockerdUnavailable();
const cli = findBinary("docker");
if (unavailable || !cli) {
  printLine(`docker exec bench skipped: ${unavailable ?? "docker CLI not installed"}`);
  Deno.exit(0);
}

await using daemon = await startDockerd();
await using docker = openDocker({ dockerHost: daemon.dockerHost });
const image = await buildTestImage(docker);
const box = await docker.createContainer({ image, name: "benchbox", init: true });
await docker.startContainer(box);
const payload = new Uint8Array(4096).map((_, i) => i % 251);

async function ours(): Promise<void> {
  const result = await docker.exec(box, ["cat"], { stdin: payload });
  if (result.exitCode !== 0 || result.stdout.length !== payload.length) throw new Error("bad exec");
}

async function viaCli(): Promise<void> {
  const child = new Deno.Command(cli!, {
    args: ["-H", daemon.dockerHost, "exec", "-i", box, "cat"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(payload);
  await writer.close();
  const out = await child.output();
  if (!out.success || out.stdout.length !== payload.length) throw new Error("bad docker exec");
}

async function measure(run: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

function summary(name: string, sorted: number[]): string {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `${name.padEnd(28)} median ${at(0.5).toFixed(1).padStart(6)} ms   p95 ${
    at(0.95).toFixed(1).padStart(6)
  } ms`;
}

const cliVersion = await new Deno.Command(cli, { args: ["--version"], stdout: "piped" }).output();
printLine(`docker exec -i cat (4 KiB stdin), ${iterations} iterations each`);
printLine(`CLI: ${new TextDecoder().decode(cliVersion.stdout).trim()}`);
printLine(summary("core/docker exec()", await measure(ours)));
printLine(summary("docker CLI exec -i", await measure(viaCli)));
await docker.removeContainer(box, { force: true });
