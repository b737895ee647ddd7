/**
 * File helpers: atomic writes (`.part` then rename) and owner-only state files
 * (folders 0700, files 0600).
 *
 * @module
 */
export * from "./atomic_write.ts";
export * from "./private_file.ts";
