/**
 * Named rate buckets (QPM/QPS) shared by all concurrent calls of a process,
 * paused on Feishu's throttling answers; a sliding-window counter for
 * local limits (login failures, authorization starts).
 *
 * @module
 */
export * from "./rate_limiter.ts";
export * from "./rate_window.ts";
