/**
 * The export request stage as a Worker (internal; see `request_worker.ts`).
 * Started with network access to the contract host(s) of the captured
 * requests and read/write access to the run directory, nothing else. It
 * opens its own connection to the ledger and its own appenders of the stage
 * files, and reports each window change and the outcome to the main thread.
 *
 * @module
 */
import { type LarkErrorData, larkErrorData } from "../../lib/errors/revive_error.ts";
import { serveStageWorker } from "../../lib/worker/serve_stage_worker.ts";
import type { ExportConfig } from "./config.ts";
import { createExportContext, type ExportAuth } from "./context.ts";
import { ExportLedger } from "./ledger.ts";
import type { ResolvedPlanOptions } from "./plan.ts";
import { requestStage, type RequestStageResult } from "./request.ts";
import { openStageLog } from "./stage_log.ts";
import type { ExportWindow } from "./window.ts";

/** What the stage is started with. */
export interface RequestWorkerStart {
  /** Validated configuration. */
  config: ExportConfig;
  /** Credentials and captured request shapes (the worker reads no file but the run directory). */
  auth: ExportAuth;
  /** Run directory (ledger and stage files). */
  runDir: string;
  /** Planner settings. */
  plan: ResolvedPlanOptions;
  /** Export calls in flight at once. */
  concurrency?: number;
  /** Only this window. */
  onlyWindow?: number;
  /** Plan with exact counts (the captured list request). */
  useCounts: boolean;
}

/** The stage's result, its pause reason as plain data. */
export type RequestWorkerResult = Omit<RequestStageResult, "paused"> & { paused?: LarkErrorData };

serveStageWorker<RequestWorkerStart, ExportWindow, RequestWorkerResult>(
  async (start, { signal, emit, logger }) => {
    const ledger = ExportLedger.open(`${start.runDir}/ledger.sqlite`);
    const planLog = openStageLog(start.runDir, "plan");
    const requestLog = openStageLog(start.runDir, "request");
    const countLog = start.useCounts ? openStageLog(start.runDir, "count") : undefined;
    try {
      const ctx = await createExportContext(start.config, start.auth, { logger });
      const { paused, ...rest } = await requestStage({
        ledger,
        client: ctx.api,
        counter: start.useCounts ? undefined : null,
        plan: start.plan,
        concurrency: start.concurrency,
        onlyWindow: start.onlyWindow,
        signal,
        planLog,
        requestLog,
        countLog,
        onWindow: emit,
        logger,
      });
      return { ...rest, paused: paused ? larkErrorData(paused) : undefined };
    } finally {
      planLog.close();
      requestLog.close();
      countLog?.close();
      ledger.close();
    }
  },
);
