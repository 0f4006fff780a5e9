/** glibc's malloc_trim(3): gives the free pages of every malloc arena back to the kernel. */
const SYMBOLS = {
  malloc_trim: { parameters: ["usize"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

/**
 * Where glibc's libc.so.6 lies: Debian and Ubuntu with and without merged
 * /usr, Fedora/RHEL/SUSE, Arch, and Debian on arm64. FFI permission is
 * granted per path as written (tools/build_bundle.ts MALLOC_TRIM_FLAG grants
 * these); any of them names the libc the process already has loaded, so
 * opening it maps nothing new.
 */
export const LIBC_PATHS = [
  "/usr/lib/x86_64-linux-gnu/libc.so.6",
  "/lib/x86_64-linux-gnu/libc.so.6",
  "/usr/lib64/libc.so.6",
  "/usr/lib/libc.so.6",
  "/usr/lib/aarch64-linux-gnu/libc.so.6",
] as const;

/** An opened malloc_trim. */
export interface MallocTrim extends Disposable {
  /** The path it was opened from. */
  readonly libcPath: string;
  /** Calls malloc_trim(0); true when memory was released. */
  trim(): boolean;
}

/**
 * Opens glibc's malloc_trim in this process through FFI, or returns null
 * where it cannot be had: FFI to none of `paths` granted, or none of them a
 * glibc (musl). Never prompts for a permission.
 *
 * @param paths where to look, in order @default LIBC_PATHS
 * @returns the opened function, or null
 * @example
 * ```ts
 * using libc = openMallocTrim();
 * libc?.trim();
 * ```
 */
export function openMallocTrim(paths: readonly string[] = LIBC_PATHS): MallocTrim | null {
  for (const libcPath of paths) {
    if (Deno.permissions.querySync({ name: "ffi", path: libcPath }).state !== "granted") continue;
    let libc;
    try {
      libc = Deno.dlopen(libcPath, SYMBOLS);
    } catch {
      // Not there, or a libc without malloc_trim: try the next place.
      continue;
    }
    return {
      libcPath,
      trim: () => libc.symbols.malloc_trim(0n) === 1,
      [Symbol.dispose]: () => libc.close(),
    };
  }
  return null;
}
