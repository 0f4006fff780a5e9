import { MemoryBus } from "../../../core/bus/mod.ts";
import type { BusMessage } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import type { DbHandle, Repositories } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { Orchestrator } from "../../../core/orchestrator/mod.ts";
import type { OrchestratorOptions } from "../../../core/orchestrator/mod.ts";
import { parseSurvey, SurveyCache } from "../../../core/survey/mod.ts";
import type { DeckySurvey } from "../../../core/survey/mod.ts";
import { loginFor, mulberry32 } from "../../../realism/mod.ts";
import type { Persona } from "../../../realism/mod.ts";
import { makePersona } from "../../realism/_fixtures.ts";
import { FakeDocker } from "./_fake_docker.ts";

/** Two personas working around the clock (so every tick has someone at work). */
export function twoPersonas(): Persona[] {
  return [
    makePersona({ name: "Ana Lopez", email: "ana@corp.example", active_hours: "00:00-23:59" }),
    makePersona({
      name: "Jürgen Weiß",
      email: "juergen@corp.example",
      language: "de",
      timezone: "Europe/Berlin",
      active_hours: "00:00-23:59",
      signature: "Jürgen Weiß\nIT-Betrieb",
    }),
  ];
}

export interface Harness extends AsyncDisposable {
  repos: Repositories;
  docker: FakeDocker;
  bus: MemoryBus;
  published: BusMessage[];
  logs: string[];
  orchestrator: Orchestrator;
  clock: { now: Date };
  /** Adds a running fleet decky (images per service, e.g. the sensor's for ssh). */
  addDecky(
    name: string,
    services: string[],
    ip: string,
    images?: Record<string, string>,
  ): Promise<string>;
}

/**
 * The Debian fixture's survey of a decky at `ip` on 192.0.2.0/24, exim4
 * running, with an account (uid 2000 upwards, /home/<login>) for each persona.
 */
export function harnessSurvey(personas: readonly Persona[], ip: string | null): DeckySurvey {
  const base = parseSurvey(
    Deno.readTextFileSync(new URL("../../testdata/survey/debian_bookworm.txt", import.meta.url)),
    "FIXTUREMARKER0001",
  );
  const extra = personas.map((p, i) => {
    const login = loginFor(p);
    return {
      login,
      uid: 2000 + i,
      gid: 2000 + i,
      group: login,
      realName: p.name,
      home: `/home/${login}`,
      shell: "/bin/bash",
    };
  }).filter((u) => !base.users.some((b) => b.login === u.login));
  return {
    ...base,
    users: [...base.users, ...extra],
    // A mail host's MTA (the fixture's box has none).
    daemons: [
      ...base.daemons.filter((d) => d.name !== "mta"),
      { name: "mta", installed: true, pids: [812], packageVersion: null },
    ],
    addresses: ip ? [ip] : [],
    routes: [{ iface: "eth0", destination: "192.0.2.0/24", gateway: null }],
  };
}

/** An orchestrator over in-memory SQLite, a fake Docker and a memory bus (deckies surveyed as {@linkcode harnessSurvey}). */
export async function makeHarness(
  options: Partial<OrchestratorOptions> & { personas?: Persona[]; seed?: number } = {},
): Promise<Harness> {
  const handle: DbHandle = await openMigratedDatabase("sqlite::memory:");
  const clock = { now: new Date("2026-11-18T14:00:00.000Z") };
  const repos = createRepositories(handle, { clock: () => clock.now });
  const docker = new FakeDocker();
  const bus = new MemoryBus({ channel: `orch-${crypto.randomUUID()}` });
  const published: BusMessage[] = [];
  const sub = bus.subscribe("orchestrator.>", (m) => {
    published.push(m);
  });
  const logs: string[] = [];
  const personas = options.personas ?? twoPersonas();
  const ips = new Map<string, string>();
  const surveys = new SurveyCache(new FakeDocker(), {
    survey: (_docker, container) =>
      Promise.resolve(
        harnessSurvey(personas, ips.get(container.replace(/-[a-z0-9]+$/, "")) ?? null),
      ),
  });
  const orchestrator = new Orchestrator({
    repos,
    docker,
    bus,
    log: new Logger({ level: "debug", sink: (_l, line) => logs.push(line) }),
    personaPool: { load: () => Promise.resolve({ personas }) },
    makeLlm: () => null,
    llmByDefault: false,
    random: mulberry32(options.seed ?? 7),
    now: () => clock.now,
    surveys,
    ...options,
  });
  return {
    repos,
    docker,
    bus,
    published,
    logs,
    orchestrator,
    clock,
    async addDecky(name, services, ip, images = {}) {
      ips.set(name, ip);
      const d = await repos.fleet.upsert({
        hostUuid: "local",
        name,
        ip,
        services,
        images,
        network: "decoys",
        networkDriver: "bridge",
        osPersona: "linux",
      }, "running");
      return d.uuid;
    },
    [Symbol.asyncDispose]: async () => {
      sub.unsubscribe();
      await bus.close();
      await handle.close();
    },
  };
}

/** Flushes the memory bus deliveries. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}
