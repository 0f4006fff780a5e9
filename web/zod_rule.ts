import { z } from "zod";

/**
 * A zod string schema that applies one of the product's validators (a
 * function returning the value or throwing a TypeError, SyntaxError or
 * RangeError that says what was expected), so a request field is checked by
 * the same rule as the fleet file, variable or CLI flag it mirrors, and a bad
 * value is a 400 naming the field.
 *
 * @param validate the rule
 * @param maxLength refused before the rule runs (also shown in the OpenAPI document)
 * @returns the schema
 * @example
 * ```ts
 * import { z } from "zod";
 * import { zodRule } from "./zod_rule.ts";
 * import { validateDeckyName } from "../core/fleet/validate_decky_name.ts";
 * const Params = z.object({ name: zodRule(validateDeckyName, 63) });
 * ```
 */
export function zodRule(validate: (value: string) => unknown, maxLength: number): z.ZodString {
  return z.string().max(maxLength).superRefine((value, ctx) => {
    try {
      validate(value);
    } catch (e) {
      if (!(e instanceof TypeError || e instanceof SyntaxError || e instanceof RangeError)) throw e;
      ctx.addIssue({ code: "custom", message: e.message });
    }
  });
}
