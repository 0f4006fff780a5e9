/**
 * Label prefix on every container and network a deploy creates. Labels are
 * visible to `docker inspect` on the host, never to a decoy's network peers;
 * the prefix is still neutral so nothing names the product.
 */
export const DEFAULT_LABEL_PREFIX = "lan.fleet";

/** The label keys a deploy sets and the reconciler filters by. */
export interface FleetLabelKeys {
  /** `true` on everything we created. */
  managed: string;
  /** The host id (Config.hostUuid). */
  host: string;
  /** The decky's name. */
  decky: string;
  /** `base` or `service`. */
  role: string;
  /** The service name (service containers). */
  service: string;
  /** Digest of the container's spec: a changed spec means recreate. */
  spec: string;
  /** On an operator's service container: the format of its log the collector reads. */
  log: string;
  /** On the base: the decky's parsed spec and network as JSON, what a revert redeploys. */
  deploy: string;
}

/**
 * The label keys under `prefix`.
 *
 * @example
 * ```ts
 * fleetLabelKeys().decky; // "lan.fleet.decky"
 * ```
 */
export function fleetLabelKeys(prefix: string = DEFAULT_LABEL_PREFIX): FleetLabelKeys {
  return {
    managed: `${prefix}.managed`,
    host: `${prefix}.host`,
    decky: `${prefix}.decky`,
    role: `${prefix}.role`,
    service: `${prefix}.service`,
    spec: `${prefix}.spec`,
    log: `${prefix}.log`,
    deploy: `${prefix}.deploy`,
  };
}
