/**
 * File helpers: atomic writes (`.part` then rename), and the per-platform
 * folders for state, configuration and browser profiles (Windows
 * `%APPDATA%`/`%LOCALAPPDATA%`, macOS `~/Library/Application Support`, Linux XDG).
 *
 * @module
 */
export * from "./atomic_write.ts";
export * from "./user_dirs.ts";
