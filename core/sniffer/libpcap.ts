/** The libpcap and libc symbols the capture calls (libpcap 1.x ABI, as Debian's libpcap0.8 ships it). */
export const LIBPCAP_SYMBOLS = {
  pcap_create: { parameters: ["buffer", "buffer"], result: "pointer" },
  pcap_set_snaplen: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_set_promisc: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_set_immediate_mode: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_set_buffer_size: { parameters: ["pointer", "i32"], result: "i32" },
  pcap_activate: { parameters: ["pointer"], result: "i32" },
  // Addresses come back as numbers, copied out with memcpy: reading through a pointer object
  // would need FFI permission for every library, not just these two.
  pcap_geterr: { parameters: ["pointer"], result: "u64" },
  pcap_compile: { parameters: ["pointer", "buffer", "buffer", "i32", "u32"], result: "i32" },
  pcap_setfilter: { parameters: ["pointer", "buffer"], result: "i32" },
  pcap_freecode: { parameters: ["buffer"], result: "void" },
  pcap_setnonblock: { parameters: ["pointer", "i32", "buffer"], result: "i32" },
  pcap_get_selectable_fd: { parameters: ["pointer"], result: "i32" },
  pcap_next_ex: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  pcap_stats: { parameters: ["pointer", "buffer"], result: "i32" },
  // The active prober's SYNs (DECNET_PROBER=on): whole frames out of the capture's interface.
  pcap_inject: { parameters: ["pointer", "buffer", "usize"], result: "i32" },
  pcap_datalink: { parameters: ["pointer"], result: "i32" },
  pcap_close: { parameters: ["pointer"], result: "void" },
} as const satisfies Deno.ForeignLibraryInterface;

/**
 * libc's poll(2), called off the main thread so waiting for packets never
 * blocks the event loop, and memcpy(3) to copy what libpcap points at.
 */
export const LIBC_SYMBOLS = {
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
  memcpy: { parameters: ["buffer", "u64", "usize"], result: "void" },
} as const satisfies Deno.ForeignLibraryInterface;

/** Opened libpcap. */
export type Libpcap = Deno.DynamicLibrary<typeof LIBPCAP_SYMBOLS>["symbols"];
/** Opened libc (poll and memcpy). */
export type Libc = Deno.DynamicLibrary<typeof LIBC_SYMBOLS>["symbols"];

/** Where Debian and other distributions put the shared libraries, per architecture. */
const LIBRARY_DIRS = [
  "/usr/lib/x86_64-linux-gnu",
  "/lib/x86_64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/lib/aarch64-linux-gnu",
  "/usr/lib64",
  "/lib64",
  "/usr/lib",
  "/lib",
];

/** The shared object names looked for: libpcap0.8's soname, and glibc's. */
export const LIBPCAP_NAME = "libpcap.so.0.8";
export const LIBC_NAME = "libc.so.6";

/**
 * The absolute path of `name` in the usual library directories (FFI
 * permission is granted per path, so a bare soname will not do), or null.
 *
 * @example
 * ```ts
 * findLibrary("libpcap.so.0.8"); // "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8" on Debian amd64
 * ```
 */
export function findLibrary(name: string, dirs: readonly string[] = LIBRARY_DIRS): string | null {
  for (const dir of dirs) {
    const path = `${dir}/${name}`;
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound) && !(e instanceof Deno.errors.NotADirectory)) {
        throw e;
      }
    }
  }
  return null;
}

/** The two libraries the capture needs, opened. */
export interface CaptureLibraries extends Disposable {
  pcap: Libpcap;
  libc: Libc;
}

/**
 * Opens libpcap at `pcapPath` and libc at `libcPath` through FFI.
 *
 * @throws {Error} when a library cannot be loaded (not installed, or FFI not permitted)
 * @example
 * ```ts
 * using libs = openCaptureLibraries("/usr/lib/x86_64-linux-gnu/libpcap.so.0.8", "/usr/lib/x86_64-linux-gnu/libc.so.6");
 * ```
 */
export function openCaptureLibraries(pcapPath: string, libcPath: string): CaptureLibraries {
  const pcap = Deno.dlopen(pcapPath, LIBPCAP_SYMBOLS);
  let libc;
  try {
    libc = Deno.dlopen(libcPath, LIBC_SYMBOLS);
  } catch (e) {
    pcap.close();
    throw e;
  }
  return {
    pcap: pcap.symbols,
    libc: libc.symbols,
    [Symbol.dispose]() {
      pcap.close();
      libc.close();
    },
  };
}
