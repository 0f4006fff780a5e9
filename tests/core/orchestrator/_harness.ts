import { MemoryBus } from "../../../core/bus/mod.ts";
import type { BusMessage } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import type { DbHandle, Repositories } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { Orchestrator } from "../../../core/orchestrator/mod.ts";
import type { OrchestratorOptions } from "../../../core/orchestrator/mod.ts";
import { mulberry32 } from "../../../realism/mod.ts";
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
  /** Adds a running fleet decky. */
  addDecky(name: string, services: string[], ip: string): Promise<string>;
}

/** An orchestrator over in-memory SQLite, a fake Docker and a memory bus. */
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
    async addDecky(name, services, ip) {
      const d = await repos.fleet.upsert({
        hostUuid: "local",
        name,
        ip,
        services,
        images: {},
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
