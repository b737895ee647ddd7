/**
 * Moved: the project's one file-name sanitiser lives in `lib/fs/safe_name.ts`.
 * This re-export keeps older imports working; import from `lib/fs` instead.
 *
 * @module
 */
export * from "../../lib/fs/safe_name.ts";
