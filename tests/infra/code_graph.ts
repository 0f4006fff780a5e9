import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/**
 * The modules `entry` reaches through code imports (type-only ones left out),
 * from `deno info`: with `dynamic` (the default) also through dynamic imports,
 * i.e. what a Deno isolate loads and analyses before it runs `entry`; without,
 * the static imports alone, i.e. what it evaluates before `entry` runs.
 *
 * @example
 * ```ts
 * const root = new URL("../../", import.meta.url);
 * const graph = await codeGraph(new URL("cli/worker_entries/canary.ts", root).href);
 * graph.has(new URL("main.ts", root).href); // false
 * ```
 */
export async function codeGraph(
  entry: string,
  options: { dynamic?: boolean } = {},
): Promise<Set<string>> {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(info.code, 0, new TextDecoder().decode(info.stderr));
  const { modules, redirects } = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    modules: InfoModule[];
    redirects: Record<string, string>;
  };
  const bySpecifier = new Map(modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    let specifier = stack.pop()!;
    while (redirects[specifier]) specifier = redirects[specifier];
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const d of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (d.code && ((options.dynamic ?? true) || !d.isDynamic)) stack.push(d.code.specifier);
    }
  }
  return seen;
}

/** The npm packages' names among `graph`'s modules, sorted, each once. */
export function npmPackages(graph: Set<string>): string[] {
  const names = [...graph].filter((s) => s.startsWith("npm:"))
    .map((s) => /^npm:\/?(@?[^@]+)@/.exec(s)![1]);
  return [...new Set(names)].sort();
}
