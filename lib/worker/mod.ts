/**
 * Web Workers with only the permissions a stage needs: start one
 * ({@linkcode restrictedWorker}), or run a whole pipeline stage in one
 * ({@linkcode runStageWorker} in the main thread, `serveStageWorker` in the
 * worker module) with its events, log lines, stop signal and result carried
 * across.
 *
 * @module
 */
export * from "./restricted_worker.ts";
export * from "./run_stage_worker.ts";
export * from "./serve_stage_worker.ts";
export * from "./worker_permission_error.ts";
