/**
 * File helpers: atomic writes (`.part` then rename), owner-only state files
 * (folders 0700, files 0600), and the per-platform folders for state,
 * configuration and browser profiles (Windows `%APPDATA%`/`%LOCALAPPDATA%`,
 * macOS `~/Library/Application Support`, Linux XDG).
 *
 * @module
 */
export * from "./atomic_write.ts";
export * from "./private_file.ts";
export * from "./user_dirs.ts";
