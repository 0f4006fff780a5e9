/** Absolute path of an executable on PATH or in the sbin folders, or undefined. */
export function findBinary(name: string): string | undefined {
  const dirs = [
    ...(Deno.env.get("PATH") ?? "").split(":"),
    "/usr/sbin",
    "/sbin",
    "/usr/local/sbin",
  ];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = `${dir}/${name}`;
    try {
      const info = Deno.statSync(path);
      if (info.isFile && (info.mode ?? 0o111) & 0o111) return path;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
