// `decnet <command>` builds its program with that command alone (its modules load only when it
// runs); whatever it prints must be what the whole program prints for the same arguments.
import assert from "node:assert/strict";
import type { Command } from "commander";
import { buildProgram } from "../../cli/run_cli.ts";

/** Help text of `command` and of every command under it, by path. */
function helpTree(command: Command, path = command.name()): Map<string, string> {
  const help = new Map([[path, command.helpInformation()]]);
  for (const sub of command.commands) {
    for (const [p, h] of helpTree(sub, `${path} ${sub.name()}`)) help.set(p, h);
  }
  return help;
}

Deno.test("a command run by name is built alone and helps exactly as in the whole program", async () => {
  const whole = await buildProgram(["--help"]);
  assert.ok(whole.commands.length > 20, "the whole program lists every command");
  for (const full of whole.commands) {
    const alone = await buildProgram([full.name(), "--help"]);
    assert.deepEqual(alone.commands.map((c) => c.name()), [full.name()]);
    assert.deepEqual(helpTree(alone.commands[0]), helpTree(full), `decnet ${full.name()} --help`);
  }
});

Deno.test("the root's --env-file may come first; anything else gets the whole program", async () => {
  const names = async (args: string[]) => (await buildProgram(args)).commands.map((c) => c.name());
  assert.deepEqual(await names(["--env-file", "site.env", "db", "status"]), ["db"]);
  assert.deepEqual(await names(["--env-file=site.env", "db", "status"]), ["db"]);
  const whole = await names([]);
  for (const args of [["-h", "db"], ["dbb"], ["help", "db"], ["--version"], ["--env-file"]]) {
    assert.deepEqual(await names(args), whole, args.join(" "));
  }
});
