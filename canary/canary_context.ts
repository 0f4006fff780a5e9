/** The operating system a bait is shaped for. */
export type PersonaOs = "linux" | "windows";

/** Who the bait pretends to belong to; login and name are filled in from the slug when unknown. */
export interface CanaryPersona {
  os: PersonaOs;
  /** Account name, e.g. `jdoe`. */
  login?: string;
  /** Display name, e.g. `Jane Doe`. */
  name?: string;
}

/**
 * Everything an artifact is derived from. The same context always gives the
 * same bytes.
 */
export interface CanaryContext {
  /** 22 URL-safe characters, as minted by `mintSlug`. */
  slug: string;
  /** Base of the callback URL, without a trailing slash. */
  httpBase: string;
  /** Zone the DNS listener answers for; `""` means no DNS bait. */
  dnsZone: string;
  persona: CanaryPersona;
  /**
   * Seeds names and paths (repository, app, report topic) instead of the
   * slug, so bait planted again on the same decky looks the same; secrets
   * always derive from the slug. @default the slug
   */
  shapeSeed?: string;
  /**
   * Host names that resolve where the bait is planted (the decky's LAN
   * peers); bait naming a database or cache host uses them, else localhost,
   * never a name that resolves nowhere.
   */
  peers?: readonly string[];
  /**
   * Instant the token was issued (ISO 8601, the token row's `created_at`).
   * Dates inside artifacts sit `backdate` seconds before it. When absent
   * they derive from the slug alone.
   */
  issuedAt?: string;
}
