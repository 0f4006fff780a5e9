/**
 * Absolute path of an executable on PATH or in the sbin folders (or `name`
 * itself when it is an absolute path to one), or undefined.
 */
export function findBinary(name: string): string | undefined {
  if (name.startsWith("/")) return isExecutable(name) ? name : undefined;
  const dirs = [
    ...(Deno.env.get("PATH") ?? "").split(":"),
    "/usr/sbin",
    "/sbin",
    "/usr/local/sbin",
  ];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = `${dir}/${name}`;
    if (isExecutable(path)) return path;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    const info = Deno.statSync(path);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}
