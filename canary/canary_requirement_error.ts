/** What a generator may need from the configuration. */
export type CanaryRequirement = "http_base" | "dns_zone";

/**
 * A generator cannot run because the configuration lacks something it needs
 * (a DNS zone or an HTTP base URL); callers fall back to a non-canary plan.
 */
export class CanaryRequirementError extends Error {
  readonly requirement: CanaryRequirement;
  readonly generator: string;

  constructor(generator: string, requirement: CanaryRequirement, options?: ErrorOptions) {
    const variable = requirement === "dns_zone"
      ? "DECNET_CANARY_DNS_ZONE"
      : "DECNET_CANARY_HTTP_BASE";
    super(
      `Cannot generate ${generator}: it needs ${requirement} (${variable}), got ""`,
      options,
    );
    this.name = "CanaryRequirementError";
    this.requirement = requirement;
    this.generator = generator;
  }
}
