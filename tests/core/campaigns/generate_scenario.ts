import type { Observation, ObservationPhase } from "../../../core/campaigns/mod.ts";

/**
 * Seeded attacker-scenario generator: fixtures are data drawn from a
 * description of actors (address pools, active hours, phases, toolchains,
 * shared infrastructure), not hand-written rows. Each actor yields one
 * observation per address it used, with its ground-truth identity and
 * campaign labels beside it.
 */

/** One kill-chain step plan: on day `day`, these phases on these targets. */
export interface PhasePlan {
  day: number;
  phases: readonly string[];
  /** Decky names, or how many to pick at random from the scenario's pool. */
  targets: readonly string[] | number;
  /** Tools this step shows (its signature), added to the addresses that ran it. */
  tools?: readonly string[];
}

/** One actor (ground-truth identity) of one campaign. */
export interface ActorSpec {
  name: string;
  campaign: string;
  /** How many addresses the actor uses. @default 1 */
  addresses?: number;
  /** `sticky`: one address per run of days; `rotating`: a random pool address per session. @default "sticky" */
  rotation?: "sticky" | "rotating";
  /** Each address in its own ASN (VPN exits) instead of one home ASN. @default false */
  asnPerAddress?: boolean;
  /** Active hours, UTC [from, to); may wrap midnight ([20, 4]). @default [9, 17] */
  hours?: readonly [number, number];
  /** Active day offsets from the scenario start. */
  days: readonly number[];
  /** @default 2 */
  sessionsPerDay?: number;
  /** Session length range in minutes. @default [20, 90] */
  sessionMinutes?: readonly [number, number];
  /** Random shift of each session start, minutes. @default 30 */
  jitterMinutes?: number;
  /** Toolchain: tools seen, and whether it shows TLS (JA3) / SSH (HASSH) fingerprints. */
  toolchain: {
    tools: readonly string[];
    ja3?: boolean;
    hassh?: boolean;
    /** Fingerprints named after this instead of the actor (a stock tool many people run). */
    stock?: string;
  };
  /** Types interactively: a keystroke simhash per address (base ± a jitter bit). @default false */
  typing?: boolean;
  phases?: readonly PhasePlan[];
  /** Infrastructure names; values are derived from the campaign, so teammates share them. */
  payloads?: readonly string[];
  c2?: readonly string[];
  /** Credential wordlist name (the same name gives the same pairs, in any campaign). */
  wordlist?: string;
}

/** A whole scenario: actors, noise scanners and the deckies they hit. */
export interface ScenarioSpec {
  seed: number;
  /** @default "2026-03-02T00:00:00Z" */
  start?: string;
  /** @default ["web01", "mail01", "dc01", "files01", "db01", "jump01"] */
  deckies?: readonly string[];
  actors: readonly ActorSpec[];
  /** Noise scanners, each its own identity and campaign, active every day of the scenario. @default 0 */
  scanners?: number;
  /** Scanners are active on days [0, scannerDays). @default the actors' last day + 1 */
  scannerDays?: number;
  /** Label prefix, so scenarios can be pooled without clashes. @default "" */
  prefix?: string;
  /** Index of the scenario's first address, so pooled scenarios use different ones. @default 0 */
  firstAddress?: number;
}

/** Generated observations and their ground truth, parallel arrays. */
export interface Scenario {
  observations: Observation[];
  identity: string[];
  campaign: string[];
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const DEFAULT_DECKIES = ["web01", "mail01", "dc01", "files01", "db01", "jump01"];
const HOSTING_ASNS = [14061, 16276, 24940, 63949, 20473];
const SCANNER_KINDS = [
  { tools: ["zgrab/0.x"], ja3: true, hassh: false, stock: "zgrab" },
  { tools: ["masscan/1.3"], ja3: true, hassh: false, stock: "masscan" },
  { tools: ["libssh_0.9.6"], ja3: false, hassh: true, stock: "libssh" },
  { tools: ["SSH-2.0-Go"], ja3: false, hassh: true, stock: "go-ssh" },
] as const;

/**
 * Generates a scenario's observations from its spec, the same for the same seed.
 *
 * @example
 * ```ts
 * const s = generateScenario({ seed: 1, actors: [], scanners: 8 });
 * s.observations.length; // 8
 * ```
 */
export function generateScenario(spec: ScenarioSpec): Scenario {
  const random = mulberry32(spec.seed);
  const start = Date.parse(spec.start ?? "2026-03-02T00:00:00Z");
  const deckies = spec.deckies ?? DEFAULT_DECKIES;
  const prefix = spec.prefix ?? "";
  const out: Scenario = { observations: [], identity: [], campaign: [] };
  let nextAddress = spec.firstAddress ?? 0;
  const address = () => ipFromIndex(nextAddress++);
  for (const actor of spec.actors) {
    for (const o of actorObservations(actor, { random, start, deckies, prefix, address })) {
      out.observations.push(o);
      out.identity.push(`${prefix}${actor.name}`);
      out.campaign.push(`${prefix}${actor.campaign}`);
    }
  }
  const scannerDays = spec.scannerDays ?? Math.max(0, ...spec.actors.flatMap((a) => a.days)) + 1;
  for (let s = 0; s < (spec.scanners ?? 0); s++) {
    const kind = SCANNER_KINDS[s % SCANNER_KINDS.length];
    const name = `scanner${s}`;
    const days = Array.from({ length: scannerDays }, (_, d) => d).filter(() => random() < 0.7);
    if (days.length === 0) days.push(0);
    const scanner: ActorSpec = {
      name,
      campaign: name,
      hours: [0, 24],
      days,
      sessionsPerDay: 3,
      sessionMinutes: [1, 10],
      toolchain: kind,
      phases: [{ day: days[0], phases: ["reconnaissance"], targets: 3 }],
      wordlist: "common-top100",
    };
    for (const o of actorObservations(scanner, { random, start, deckies, prefix, address })) {
      o.asn = HOSTING_ASNS[s % HOSTING_ASNS.length];
      out.observations.push(o);
      out.identity.push(`${prefix}${name}`);
      out.campaign.push(`${prefix}${name}`);
    }
  }
  return out;
}

interface Context {
  random: () => number;
  start: number;
  deckies: readonly string[];
  prefix: string;
  address: () => string;
}

type MutableObservation = { -readonly [K in keyof Observation]: Observation[K] } & {
  sessions: [string, string][];
  phases: ObservationPhase[];
};

function actorObservations(actor: ActorSpec, ctx: Context): MutableObservation[] {
  const { random, start } = ctx;
  const id = `${ctx.prefix}${actor.name}`;
  const campaign = `${ctx.prefix}${actor.campaign}`;
  const poolSize = actor.addresses ?? 1;
  const homeAsn = 64_500 + (hashText(id) % 1000);
  const pool: MutableObservation[] = Array.from({ length: poolSize }, (_, k) => {
    const o: MutableObservation = {
      ip: ctx.address(),
      asn: actor.asnPerAddress ? 65_000 + (hashText(`${id}/${k}`) % 500) : homeAsn,
      tools: [...actor.toolchain.tools],
      sessions: [],
      phases: [],
    };
    const stock = actor.toolchain.stock ?? id;
    if (actor.toolchain.ja3) o.ja3 = [hexHash(`ja3/${stock}`, 32)];
    if (actor.toolchain.hassh) o.hassh = [hexHash(`hassh/${stock}`, 32)];
    if (actor.payloads?.length) {
      o.payload_hashes = actor.payloads.map((p) => hexHash(`${campaign}/payload/${p}`, 64));
    }
    if (actor.c2?.length) {
      o.c2_endpoints = actor.c2.map((c) => `${hexHash(`${campaign}/c2/${c}`, 8)}.example.net:443`);
    }
    if (actor.wordlist) o.credentials = wordlist(actor.wordlist);
    return o;
  });
  if (actor.typing) {
    const base = hexHash(`kd/${id}`, 16);
    pool.forEach((
      o,
    ) => (o.kd_simhash = flipBit(base, random() < 0.5 ? Math.floor(random() * 64) : -1)));
  }
  const [from, to] = actor.hours ?? [9, 17];
  const span = ((to - from + 24) % 24 || 24) * HOUR;
  const [minLen, maxLen] = actor.sessionMinutes ?? [20, 90];
  const jitter = (actor.jitterMinutes ?? 30) * 60_000;
  const perDay = actor.sessionsPerDay ?? 2;
  const days = [...actor.days].sort((a, b) => a - b);
  const sessionsByDay = new Map<number, { o: MutableObservation; s: number; e: number }[]>();
  let session = 0;
  days.forEach((day, dayIndex) => {
    for (let k = 0; k < perDay; k++, session++) {
      const o = actor.rotation === "rotating"
        ? pool[session < poolSize ? session : Math.floor(random() * poolSize)]
        : pool[Math.min(poolSize - 1, Math.floor((dayIndex * poolSize) / days.length))];
      const slot = span / perDay;
      const length = (minLen + random() * (maxLen - minLen)) * 60_000;
      const offset = Math.max(0, Math.min(span - length, k * slot + (random() - 0.5) * 2 * jitter));
      const s = start + day * DAY + from * HOUR + offset;
      const e = s + length;
      o.sessions.push([iso(s), iso(e)]);
      sessionsByDay.set(day, [...(sessionsByDay.get(day) ?? []), { o, s, e }]);
    }
  });
  for (const plan of actor.phases ?? []) {
    const sessions = sessionsByDay.get(plan.day);
    if (!sessions) throw new RangeError(`${id}: phase day ${plan.day} is not an active day`);
    const targets = typeof plan.targets === "number"
      ? pick(ctx.deckies, plan.targets, random)
      : plan.targets;
    for (const decky of targets) {
      // Phases in order, spread over the day's sessions, each inside one.
      plan.phases.forEach((phase, i) => {
        const { o, s, e } = sessions[
          Math.min(sessions.length - 1, Math.floor((i * sessions.length) / plan.phases.length))
        ];
        const at = s + ((i + 1) / (plan.phases.length + 1)) * (e - s);
        o.phases.push({ decky, phase, at: iso(at) });
        for (const tool of plan.tools ?? []) {
          if (!o.tools?.includes(tool)) o.tools = [...o.tools ?? [], tool];
        }
      });
    }
  }
  return pool.filter((o) => o.sessions.length > 0);
}

/** Shifts every time in the observations by `ms` (relative times stay the same). */
export function shiftObservations(observations: readonly Observation[], ms: number): Observation[] {
  const shift = (t: string) => iso(Date.parse(t) + ms);
  return observations.map((o) => ({
    ...o,
    ...(o.sessions ? { sessions: o.sessions.map(([s, e]) => [shift(s), shift(e)] as const) } : {}),
    ...(o.phases ? { phases: o.phases.map((p) => ({ ...p, at: shift(p.at) })) } : {}),
  }));
}

/** Pools scenarios into one (labels are already prefixed apart). */
export function poolScenarios(scenarios: readonly Scenario[]): Scenario {
  return {
    observations: scenarios.flatMap((s) => s.observations),
    identity: scenarios.flatMap((s) => s.identity),
    campaign: scenarios.flatMap((s) => s.campaign),
  };
}

const WORDS = ["root", "admin", "ubuntu", "oracle", "test", "postgres", "pi", "user"];
const SECRETS = ["123456", "admin", "password", "toor", "raspberry", "qwerty", "P@ssw0rd"];

function wordlist(name: string): [string, string][] {
  const r = mulberry32(hashText(name));
  return Array.from({ length: 6 }, () => [
    WORDS[Math.floor(r() * WORDS.length)],
    SECRETS[Math.floor(r() * SECRETS.length)],
  ]);
}

function pick<T>(items: readonly T[], count: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

/** Addresses in 198.18.0.0/15 (reserved for benchmarking), then in 2001:db8::/32. */
function ipFromIndex(n: number): string {
  if (n < 131_072) return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  return `2001:db8::${(n >> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
}

function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

function flipBit(hex: string, bit: number): string {
  if (bit < 0) return hex;
  const value = BigInt(`0x${hex}`) ^ (1n << BigInt(bit));
  return value.toString(16).padStart(16, "0");
}

/** Deterministic hex digits of a label (FNV-1a chained), `digits` long. */
function hexHash(label: string, digits: number): string {
  let out = "";
  for (let round = 0; out.length < digits; round++) {
    out += hashText(`${round}:${label}`).toString(16).padStart(8, "0");
  }
  return out.slice(0, digits);
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Small seeded PRNG (mulberry32): deterministic fixtures from a seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
