/**
 * `deno task bench`: runs every `tests/bench/*_bench.ts` script in turn (each
 * prints its own figures) and passes any arguments on as a name filter.
 * Figures worth keeping go into tests/bench/RESULTS.md by hand, with the machine.
 */
const dir = new URL(".", import.meta.url);
const filter = Deno.args[0];
const scripts = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith("_bench.ts") && (!filter || n.includes(filter)))
  .sort();
let failures = 0;
for (const name of scripts) {
  console.log(`\n== ${name}`);
  const { success } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL(name, dir).pathname],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!success) failures++;
}
if (failures > 0) {
  console.error(`${failures} benchmark script(s) failed`);
  Deno.exit(1);
}
