/**
 * Canary tokens: artifacts, planting and the attacker-facing receiver.
 *
 * @module
 */
export * from "./receiver/mod.ts";
