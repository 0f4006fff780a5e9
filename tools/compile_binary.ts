/**
 * `deno task compile`: the single executable dist/decnet. Every worker is
 * the same embedded entry module and every asset is a TypeScript module, so
 * nothing else needs including. Needs Deno's `denort` runtime: downloaded by
 * `deno compile`, or taken from DENORT_BIN when that points at one.
 *
 * @module
 */
import { LAZY_IMPORTS_FLAG, RUNTIME_FLAGS } from "./build_bundle.ts";

const root = new URL("..", import.meta.url).pathname;

/**
 * Compiles main.ts into the executable `output`; returns false (after
 * `deno compile` printed why) when it fails.
 *
 * @example
 * ```ts
 * if (!await compileBinary("dist/decnet")) Deno.exit(1);
 * ```
 */
export async function compileBinary(output: string): Promise<boolean> {
  const { success } = await new Deno.Command(Deno.execPath(), {
    args: [
      "compile",
      ...RUNTIME_FLAGS.filter((flag) => flag !== LAZY_IMPORTS_FLAG),
      "--config",
      `${root}deno.json`,
      "-o",
      output,
      `${root}main.ts`,
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return success;
}

if (import.meta.main) {
  const output = `${root}dist/decnet`;
  await Deno.mkdir(`${root}dist`, { recursive: true });
  if (!await compileBinary(output)) {
    console.error(
      "deno compile failed. It needs the denort runtime: let it download one, or set DENORT_BIN " +
        "to a denort binary of the same Deno version. `deno task build` makes a bundle without it.",
    );
    Deno.exit(1);
  }
  console.log(`Built ${output}`);
}
