/** One variable that failed validation. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/**
 * Raised by {@linkcode loadConfig} with every bad variable at once, so an
 * operator fixes the env file in one pass. The CLI exits 2 on it.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: ConfigIssue[], options?: ErrorOptions) {
    super(issues.map((i) => i.message).join("\n"), options);
    this.name = "ConfigError";
    this.issues = Object.freeze([...issues]);
  }
}
