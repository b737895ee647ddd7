/**
 * Named rate buckets (QPM/QPS) shared by all concurrent calls of a process,
 * paused on Feishu's throttling answers.
 *
 * @module
 */
export * from "./rate_limiter.ts";
