/** A Linux interface name: at most 15 characters (IFNAMSIZ - 1), no slash or space. */
const INTERFACE_NAME_REGEXP = /^[A-Za-z0-9_.:-]{1,15}$/;

/**
 * Checks a host interface name (the parent of a macvlan/ipvlan network): the
 * one rule for the fleet file's `interface`, `decnet deploy --interface` and
 * the deploy API's `interface`. It says what was expected; the caller names
 * the field and the value.
 *
 * @param name the interface name
 * @returns the name unchanged
 * @throws {SyntaxError} `expected an interface name …`
 * @example
 * ```ts
 * validateInterfaceName("eth0"); // "eth0"
 * ```
 */
export function validateInterfaceName(name: string): string {
  if (!INTERFACE_NAME_REGEXP.test(name)) {
    throw new SyntaxError(
      'expected an interface name of 1-15 letters, digits, ".", "_", ":" or "-"',
    );
  }
  return name;
}
