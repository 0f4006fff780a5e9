/**
 * The SSH decoy: Debian's OpenSSH as a client sees it on the first exchange,
 * recording login attempts with HASSH, relaying accepted logins to the
 * decky's real sshd and recording what is typed there.
 *
 * @module
 */
export { sshService } from "./ssh_service.ts";
export { hassh } from "./hassh.ts";
export type { Hassh } from "./hassh.ts";
export { parseKexInit } from "./kex_init.ts";
export type { KexInit } from "./kex_init.ts";
