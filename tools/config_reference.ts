/**
 * Renders the README's DECNET_* reference table from CONFIG_VARIABLES.
 * `deno run -A tools/config_reference.ts --write` updates README.md in place;
 * a test fails when the README drifts.
 *
 * @module
 */
import { CONFIG_VARIABLES, ENV_FILE_VARIABLE } from "../core/config/mod.ts";

export const BEGIN_MARKER = "<!-- config-reference:begin -->";
export const END_MARKER = "<!-- config-reference:end -->";

/** The Markdown table of every variable. */
export function renderConfigReference(): string {
  const rows = [
    "| Variable | Default | Meaning |",
    "| --- | --- | --- |",
    `| \`${ENV_FILE_VARIABLE}\` | \`.env.local\` if present | Env file to read (also \`--env-file\`); the real environment wins over it. |`,
    ...CONFIG_VARIABLES.map((v) =>
      `| \`${v.name}\` | ${v.defaultText ? `\`${v.defaultText}\`` : ""} | ${
        v.doc.replace(/\|/g, "\\|")
      }${v.secret ? " *Secret: masked in `config show`.*" : ""} |`
    ),
  ];
  return rows.join("\n");
}

/** README text with the table between the markers replaced. */
export function withConfigReference(readme: string): string {
  const start = readme.indexOf(BEGIN_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new SyntaxError("README has no config-reference markers");
  return readme.slice(0, start + BEGIN_MARKER.length) + "\n" + renderConfigReference() + "\n" +
    readme.slice(end);
}

/** Markdown as `deno fmt` lays it out (tables padded), so the README stays fmt-clean. */
export async function formatMarkdown(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  if (!out.success) throw new Error("deno fmt failed on the README");
  return new TextDecoder().decode(out.stdout);
}

if (import.meta.main) {
  const path = new URL("../README.md", import.meta.url);
  const readme = await Deno.readTextFile(path);
  if (Deno.args.includes("--write")) {
    await Deno.writeTextFile(path, await formatMarkdown(withConfigReference(readme)));
  } else console.log(renderConfigReference());
}
