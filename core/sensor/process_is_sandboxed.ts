/** Reads the state of one permission of this process (`Deno.permissions.querySync`). */
export type PermissionQuery = (descriptor: Deno.PermissionDescriptor) => Deno.PermissionState;

/** What a sensor never needs: granted wholly, the process is not sandboxed for it. */
const NEVER_NEEDED: Deno.PermissionName[] = ["env", "write", "run", "ffi", "sys"];

/**
 * Whether this process's own flags already sandbox it as the sensor's
 * Worker would be: no environment, writes, subprocesses, FFI or system
 * information granted, and network and reads only where its flags name
 * (as the sensor image's entrypoint does). Then a Worker would add a
 * second V8 isolate and no protection, and the sensor serves in-process.
 * A partial grant of a kind the sensor never needs (`--allow-env=X`) is not
 * told apart from none: the flags are the image's own.
 *
 * @param query Reads one permission's state. @default Deno.permissions.querySync
 * @returns true when no permission is granted wholly.
 * @example
 * ```ts
 * processIsSandboxed(() => "granted"); // false (run with --allow-all)
 * ```
 */
export function processIsSandboxed(
  query: PermissionQuery = (d) => Deno.permissions.querySync(d).state,
): boolean {
  return [...NEVER_NEEDED, "net" as const, "read" as const].every((name) =>
    query({ name } as Deno.PermissionDescriptor) !== "granted"
  );
}
