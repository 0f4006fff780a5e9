import type { CanaryContext } from "../canary_context.ts";
import { CanaryRequirementError } from "../canary_requirement_error.ts";
import type { CanaryRequirement } from "../canary_requirement_error.ts";

/** Throws when the context lacks something the generator needs. */
export function requireContext(
  context: CanaryContext,
  generator: { name: string; needs: readonly CanaryRequirement[] },
): void {
  const { name, needs } = generator;
  for (const need of needs) {
    const value = need === "dns_zone" ? context.dnsZone : context.httpBase;
    if (!value) throw new CanaryRequirementError(name, need);
  }
}
