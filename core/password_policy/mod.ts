/**
 * The rules a new password must meet (length, valid text, not a common
 * password), shared by the CLI, the API and DECNET_ADMIN_PASSWORD. The list
 * of common passwords ships inside the binary (see tools/build_common_passwords.ts).
 *
 * @module
 */
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from "./password_problem.ts";
