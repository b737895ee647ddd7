/**
 * Small async helpers (no maintained npm package fits without pulling in a
 * framework): a bounded-concurrency pool.
 *
 * @module
 */
export * from "./pool.ts";
