/**
 * Authentication pieces the CLI shares with the API (password hashing,
 * account names, account changes and read-only API keys, each recording
 * its audit entry) without loading the web app itself.
 *
 * @module
 */
export { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "./password_hash.ts";
export { USERNAME_REGEXP, validateUsername } from "./username.ts";
export { AccountError } from "./account_error.ts";
export { addUser } from "./add_user.ts";
export type { AddUserOptions } from "./add_user.ts";
export { removeUser } from "./remove_user.ts";
export { changePassword } from "./change_password.ts";
export { API_KEY_PREFIX, hashApiKey } from "./hash_api_key.ts";
export { mintApiKey } from "./mint_api_key.ts";
export type { MintedApiKey } from "./mint_api_key.ts";
export { MAX_API_KEY_NAME, validateApiKeyName } from "./validate_api_key_name.ts";
export { createApiKey } from "./create_api_key.ts";
export type { CreateApiKeyOptions } from "./create_api_key.ts";
export { revokeApiKey } from "./revoke_api_key.ts";
export { apiKeyView } from "./api_key_view.ts";
export type { ApiKeyView } from "./api_key_view.ts";
