/**
 * File helpers: atomic writes (`.part` then rename).
 *
 * @module
 */
export * from "./atomic_write.ts";
