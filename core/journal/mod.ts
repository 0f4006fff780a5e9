/**
 * The canary trigger journal: the attacker-facing listeners append each
 * trigger to fsync'd, segmented JSON-line files in their spool (they never
 * open the database), and the collector ingests them in order, exactly
 * once, and hands back the set of active tokens as a snapshot file.
 *
 * @module
 */
export { canarySpoolPaths } from "./spool_paths.ts";
export type { CanarySpoolPaths } from "./spool_paths.ts";
export { JournalWriter } from "./journal_writer.ts";
export type { JournalWriterOptions, JournalWriterStats } from "./journal_writer.ts";
export { readJournal } from "./read_journal.ts";
export type { JournalRead, JournalRecord, ReadJournalOptions } from "./read_journal.ts";
export { listSegments, segmentName } from "./segment_names.ts";
export { segmentDataBytes } from "./segment_data_bytes.ts";
export { decodeTriggerRecord, encodeTriggerRecord, MAX_RECORD_BYTES } from "./trigger_record.ts";
export { readActiveTokens, writeActiveTokens } from "./active_tokens_file.ts";
export { writeSnapshotFile } from "./write_snapshot_file.ts";
