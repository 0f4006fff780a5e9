/**
 * Authentication pieces the CLI shares with the API (password hashing,
 * account names) without loading the web app itself.
 *
 * @module
 */
export { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "./password_hash.ts";
export { USERNAME_REGEXP, validateUsername } from "./username.ts";
