import { personaPoolPaths, type PersonaPoolPathsOptions } from "./persona_pool_paths.ts";
import type { Persona } from "./persona.ts";
import { parsePersonas } from "./parse_personas.ts";
import type { DroppedPersona } from "./parse_personas.ts";

/** What {@linkcode PersonaPool.load} found. */
export interface LoadedPersonaPool {
  /** The file read, or null when no pool file exists. */
  path: string | null;
  personas: readonly Persona[];
  dropped: readonly DroppedPersona[];
}

/** Smallest file-system surface the pool needs (tests pass a fake). */
export interface PoolFileSystem {
  stat(path: string): Promise<{ mtime: Date | null }>;
  readTextFile(path: string): Promise<string>;
}

/** Options for {@linkcode PersonaPool}. */
export interface PersonaPoolOptions extends PersonaPoolPathsOptions {
  /** @default Deno's file system */
  fs?: PoolFileSystem;
}

const DENO_FS: PoolFileSystem = {
  stat: (path) => Deno.stat(path),
  readTextFile: (path) => Deno.readTextFile(path),
};

/**
 * The global persona pool file, the first of {@linkcode personaPoolPaths} that exists.
 * Parsed once and cached; read again when the file's mtime changes.
 *
 * @example
 * ```ts
 * import type { Config } from "../core/config/config.ts";
 * import { PersonaPool } from "./persona_pool.ts";
 * declare const config: Config;
 * const pool = new PersonaPool({ configuredPath: config.realismPersonas, homeDir: Deno.env.get("HOME") });
 * const { personas } = await pool.load();
 * ```
 */
export class PersonaPool {
  readonly #candidates: readonly string[];
  readonly #fs: PoolFileSystem;
  readonly #required: boolean;
  #cache: { path: string; mtimeMs: number | null; pool: LoadedPersonaPool } | null = null;

  constructor(options: PersonaPoolOptions = {}) {
    this.#fs = options.fs ?? DENO_FS;
    this.#required = Boolean(options.configuredPath);
    this.#candidates = personaPoolPaths(options);
  }

  /** The files searched, in order. */
  get candidates(): readonly string[] {
    return this.#candidates;
  }

  /**
   * Returns the pool, reading the file again only when its mtime changed.
   *
   * @throws {Deno.errors.NotFound} when a configured path does not exist
   * @throws {SyntaxError} when the file is not JSON
   * @throws {TypeError} when the JSON is not an array
   */
  async load(): Promise<LoadedPersonaPool> {
    for (const path of this.#candidates) {
      let mtimeMs: number | null;
      try {
        mtimeMs = (await this.#fs.stat(path)).mtime?.getTime() ?? null;
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound) || this.#required) throw e;
        continue;
      }
      const c = this.#cache;
      if (c && c.path === path && c.mtimeMs !== null && c.mtimeMs === mtimeMs) return c.pool;
      const text = await this.#fs.readTextFile(path);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new SyntaxError(`Cannot read persona pool ${path}: not valid JSON`, { cause: e });
      }
      const { personas, dropped } = parsePersonas(json);
      const pool = Object.freeze({
        path,
        personas: Object.freeze(personas),
        dropped: Object.freeze(dropped),
      });
      this.#cache = { path, mtimeMs, pool };
      return pool;
    }
    this.#cache = null;
    return Object.freeze({ path: null, personas: [], dropped: [] });
  }

  /** Forgets the cached pool so the next load reads the file again. */
  resetCache(): void {
    this.#cache = null;
  }
}
