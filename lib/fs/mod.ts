/**
 * File helpers: atomic writes (`.part` then rename), owner-only state files
 * (folders 0700, files 0600), the per-platform folders for state,
 * configuration and browser profiles (Windows `%APPDATA%`/`%LOCALAPPDATA%`,
 * macOS `~/Library/Application Support`, Linux XDG), the one file-name
 * sanitiser ({@linkcode sanitizeFileName}, collision suffixes) and real path
 * containment ({@linkcode containedPath}).
 *
 * @example
 * ```ts
 * import { containedPath, safeSegments } from "./mod.ts";
 * const dest = await containedPath("/tmp/job", safeSegments("../A/", "CON.txt")); // /tmp/job/__/A/CON_.txt
 * ```
 *
 * @module
 */
export * from "./atomic_write.ts";
export * from "./private_file.ts";
export * from "./user_dirs.ts";
export * from "./safe_name.ts";
export * from "./contained_path.ts";
