import type { JsonValue } from "../bus/mod.ts";
import type { JournalPosition, SensorLogPosition } from "../db/mod.ts";

type Fields = { [key: string]: JsonValue };

/**
 * Reads a journal position field (`{segment, offset}`) of an agent batch.
 *
 * @throws {TypeError} naming the field
 * @example
 * ```ts
 * import { journalPositionField } from "./batch_position_fields.ts";
 * journalPositionField({ from: { segment: 0, offset: 0 } }, "from");
 * ```
 */
export function journalPositionField(fields: Fields, name: string): JournalPosition {
  return journalPosition(fields[name], name);
}

/**
 * Reads a sensor log position field (`{logTime, linesAtTime}`) of an agent batch.
 *
 * @throws {TypeError} naming the field
 */
export function logPositionField(fields: Fields, name: string): SensorLogPosition {
  return logPosition(fields[name], name);
}

/**
 * Reads a list field of an agent batch.
 *
 * @throws {TypeError} naming the field
 */
export function listField(fields: Fields, name: string): JsonValue[] {
  const value = fields[name];
  if (!Array.isArray(value)) throw new TypeError(`Bad agent batch: ${name} must be a list`);
  return value;
}

/**
 * Reads an optional list of positions, one per item of the batch (where each
 * ends); absent from agents that send none.
 *
 * @param count how many items the batch holds
 * @throws {TypeError} naming the field
 */
export function positionListField<P>(
  fields: Fields,
  name: string,
  count: number,
  kind: "journal" | "log",
): P[] | undefined {
  if (fields[name] === undefined) return undefined;
  const list = listField(fields, name);
  if (list.length !== count) {
    throw new TypeError(
      `Bad agent batch: ${name} must hold ${count} positions, got ${list.length}`,
    );
  }
  const read = kind === "journal" ? journalPosition : logPosition;
  return list.map((value, i) => read(value, `${name}[${i}]`) as P);
}

function journalPosition(value: JsonValue | undefined, name: string): JournalPosition {
  const { segment, offset } = object(value, name);
  if (!Number.isSafeInteger(segment) || (segment as number) < 0) {
    throw new TypeError(`Bad agent batch: ${name}.segment must be a whole number >= 0`);
  }
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) {
    throw new TypeError(`Bad agent batch: ${name}.offset must be a whole number >= 0`);
  }
  return { segment: segment as number, offset: offset as number };
}

function logPosition(value: JsonValue | undefined, name: string): SensorLogPosition {
  const { logTime, linesAtTime } = object(value, name);
  if (typeof logTime !== "string" || logTime.length > 64) {
    throw new TypeError(`Bad agent batch: ${name}.logTime must be a Docker log time or ""`);
  }
  if (!Number.isSafeInteger(linesAtTime) || (linesAtTime as number) < 0) {
    throw new TypeError(`Bad agent batch: ${name}.linesAtTime must be a whole number >= 0`);
  }
  return { logTime, linesAtTime: linesAtTime as number };
}

function object(value: JsonValue | undefined, name: string): Fields {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`Bad agent batch: ${name} must be an object`);
  }
  return value;
}
