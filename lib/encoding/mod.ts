/**
 * Byte encodings: hex, and the SHA-256 hex digest used for file and input
 * fingerprints.
 *
 * @module
 */
export * from "./hex.ts";
export * from "./sha256_hex.ts";
export * from "./sha256_file.ts";
