/**
 * Web Workers with only the permissions a stage needs: start one
 * ({@linkcode restrictedWorker}), or run a whole pipeline stage in one
 * ({@linkcode runStageWorker}, or {@linkcode startStageWorker} for a stage
 * fed while it runs, in the main thread; `serveStageWorker` in the worker
 * module) with its events, inputs, log lines, stop signal and result carried
 * across.
 *
 * @module
 */
export * from "./restricted_worker.ts";
export * from "./run_stage_worker.ts";
export * from "./start_stage_worker.ts";
export * from "./serve_stage_worker.ts";
export * from "./worker_permission_error.ts";
