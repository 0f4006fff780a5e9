/**
 * Logging and terminal output: the only place that writes to the console.
 *
 * @module
 */
export { LOG_LEVELS, Logger } from "./logger.ts";
export type { LoggerOptions, LogLevel, LogSink } from "./logger.ts";
export { printError, printLine } from "./print.ts";
export { QUOTED_VALUE_MAX, quoteValue } from "./quote_value.ts";
