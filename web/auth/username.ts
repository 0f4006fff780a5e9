/** Valid account names: 1-64 letters, digits, dots, dashes or underscores. */
export const USERNAME_REGEXP = /^[A-Za-z0-9._-]{1,64}$/;
