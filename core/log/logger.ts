/** Severity levels, lowest first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** One of {@linkcode LOG_LEVELS}. */
export type LogLevel = typeof LOG_LEVELS[number];

/** Where formatted lines go; tests pass an array-backed sink. */
export type LogSink = (level: LogLevel, line: string) => void;

/** Options for {@linkcode Logger}. */
export interface LoggerOptions {
  /** Lowest level written. @default "info" */
  level?: LogLevel;
  /** Name shown in brackets, e.g. the worker. */
  scope?: string;
  /** Destination. @default stderr for warn/error, stdout otherwise */
  sink?: LogSink;
  /** Clock for timestamps. */
  now?: () => Date;
}

/**
 * Writes one line per event: `2026-11-18T14:00:00.000Z info [api] message key=value`.
 *
 * @example
 * ```ts
 * const log = new Logger({ level: "debug", scope: "api" });
 * log.info("listening", { port: 8000 });
 * ```
 */
export class Logger {
  readonly #level: number;
  readonly #scope: string;
  readonly #sink: LogSink;
  readonly #now: () => Date;

  constructor(options: LoggerOptions = {}) {
    this.#level = LOG_LEVELS.indexOf(options.level ?? "info");
    this.#scope = options.scope ?? "";
    this.#sink = options.sink ?? writeToConsole;
    this.#now = options.now ?? (() => new Date());
  }

  /** A logger with the same settings and another scope. */
  child(scope: string): Logger {
    return new Logger({
      level: LOG_LEVELS[this.#level],
      scope,
      sink: this.#sink,
      now: this.#now,
    });
  }

  /** Whether lines at `level` are written. */
  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.#level;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#write("debug", message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.#write("info", message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.#write("warn", message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.#write("error", message, fields);
  }

  #write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    const scope = this.#scope ? ` [${this.#scope}]` : "";
    const extra = fields ? formatFields(fields) : "";
    this.#sink(level, `${this.#now().toISOString()} ${level}${scope} ${message}${extra}`);
  }
}

function formatFields(fields: Record<string, unknown>): string {
  let out = "";
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = value instanceof Error
      ? value.message
      : typeof value === "string"
      ? value
      : JSON.stringify(value);
    out += ` ${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
  }
  return out;
}

function writeToConsole(level: LogLevel, line: string): void {
  if (level === "warn" || level === "error") console.error(line);
  else console.log(line);
}
