// The sensor program (sensor_main.ts, bundled as decnet-sensor.js for the sensor image) holds the
// decoy protocols and nothing else of decnet: every module it may load, dynamic imports
// included, is what a bundle of it contains, and each decky's sensor parses and keeps all of it.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

Deno.test("sensor_main.ts loads the sensor, its command and ssh2, no other command or library", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "sensor_main.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(info.code, 0, new TextDecoder().decode(info.stderr));
  const { modules } = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    modules: { specifier: string }[];
  };
  const specifiers = modules.map((m) => m.specifier);
  const npm = specifiers.filter((s) => s.startsWith("npm:")).map((s) =>
    /^npm:\/?(@?[^@]+)@/.exec(s)![1]
  );
  assert.deepEqual(npm.sort(), ["commander", "ssh2"]);
  for (const path of specifiers.filter((s) => s.startsWith(ROOT.href))) {
    const local = path.slice(ROOT.href.length);
    assert.match(
      local,
      /^(sensor_main\.ts|core\/sensor\/|core\/(http1|log)\/|core\/abortable_sleep\.ts|core\/config\/config_error\.ts|cli\/(run_sensor_cli|run_program|sensor_command|cli_error|wait_for_shutdown|worker_code_paths)\.ts)/,
      `${local} is not the sensor's`,
    );
  }
});
