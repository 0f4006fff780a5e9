import { InvalidArgumentError } from "commander";

/** Commander argument parser for a whole number in [min, max]. */
export function intOption(min: number, max: number): (raw: string) => number {
  return (raw: string) => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
      throw new InvalidArgumentError(`expected a whole number ${min}-${max}`);
    }
    return Number(raw);
  };
}

/** Commander parser for a comma-separated list drawn from `choices`. */
export function listOption(choices: readonly string[]): (raw: string) => string[] {
  return (raw: string) => {
    const items = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const bad = items.filter((i) => !choices.includes(i));
    if (items.length === 0 || bad.length > 0) {
      throw new InvalidArgumentError(
        `expected a comma list of ${choices.join(", ")}${
          bad.length ? `; unknown: ${bad.join(", ")}` : ""
        }`,
      );
    }
    return items;
  };
}

/**
 * Commander parser from one of the product's validators (a function that
 * returns the value or throws a TypeError, SyntaxError or RangeError saying
 * what was expected), so a flag is checked by the same rule as the file,
 * variable or API field it mirrors. Commander then names the flag and exits 2.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { ruleOption } from "./parse_options.ts";
 * import { parseHttpBase } from "../core/config/value_parsers.ts";
 * new Command("x").option("--http-base <url>", "base URL", ruleOption(parseHttpBase));
 * ```
 */
export function ruleOption<T>(validate: (raw: string) => T): (raw: string) => T {
  return (raw: string) => {
    try {
      return validate(raw);
    } catch (e) {
      if (e instanceof TypeError || e instanceof SyntaxError || e instanceof RangeError) {
        throw new InvalidArgumentError(e.message);
      }
      throw e;
    }
  };
}
