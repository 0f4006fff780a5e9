import { join } from "node:path";

/**
 * The fields of `name`'s line in `prefix`'s /etc/passwd or /etc/group (the
 * name first), or null when the file or the line is not there.
 *
 * @example
 * ```ts
 * import { etcEntry } from "./etc_entry.ts";
 * const user = await etcEntry("/", "passwd", "decnet");
 * if (user) console.info(`uid ${user[2]}, gid ${user[3]}`);
 * ```
 */
export async function etcEntry(
  prefix: string,
  file: "passwd" | "group",
  name: string,
): Promise<string[] | null> {
  let text;
  try {
    text = await Deno.readTextFile(join(prefix, "/etc", file));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  return text.split("\n").map((l) => l.split(":")).find((fields) => fields[0] === name) ?? null;
}
