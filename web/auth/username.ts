// The rule lives beside the users table so configuration (DECNET_ADMIN_USER) shares it.
export { USERNAME_REGEXP, validateUsername } from "../../core/db/validate_username.ts";
