/**
 * Byte encodings: hex, the SHA-256 hex digest used for file and input
 * fingerprints, and HTML escaping of text.
 *
 * @module
 */
export * from "./hex.ts";
export * from "./sha256_hex.ts";
export * from "./escape_html.ts";
export * from "./sha256_file.ts";
