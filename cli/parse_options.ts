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
