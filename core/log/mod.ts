/**
 * Logging and terminal output: the only place that writes to the console.
 *
 * @module
 */
export { LOG_LEVELS, Logger } from "./logger.ts";
export type { LoggerOptions, LogLevel, LogSink } from "./logger.ts";
export { printError, printLine } from "./print.ts";
export { errorText } from "./error_text.ts";
export { quoteValue } from "./quote_value.ts";
