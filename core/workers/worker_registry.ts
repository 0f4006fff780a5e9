import type { WorkerDefinition } from "./worker_definition.ts";

/**
 * The known workers, in start order. Built once by the CLI (which may
 * import every room) and shared by `decnet up`, `decnet workers list`,
 * the health route and the worker threads.
 *
 * @example
 * ```ts
 * import { WorkerRegistry } from "./worker_registry.ts";
 * import { apiWorker } from "../../web/api_worker.ts";
 * import { canaryWorker } from "../../canary/canary_worker.ts";
 * const registry = new WorkerRegistry().register(apiWorker).register(canaryWorker);
 * ```
 */
export class WorkerRegistry {
  readonly #workers = new Map<string, WorkerDefinition>();

  /** Adds a worker; a second one with the same name is an error. */
  register(definition: WorkerDefinition): this {
    if (this.#workers.has(definition.name)) {
      throw new TypeError(`Cannot register worker: "${definition.name}" already exists`);
    }
    this.#workers.set(definition.name, definition);
    return this;
  }

  get(name: string): WorkerDefinition | undefined {
    return this.#workers.get(name);
  }

  names(): string[] {
    return [...this.#workers.keys()];
  }

  list(): WorkerDefinition[] {
    return [...this.#workers.values()];
  }
}
