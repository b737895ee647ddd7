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
import { createLogger, type LogFields, type LogLevel } from "../../lib/log/logger.ts";
import type { ExportConfig } from "./config.ts";
import { createExportContext, type ExportAuth } from "./context.ts";
import { ExportLedger } from "./ledger.ts";
import type { ResolvedPlanOptions } from "./plan.ts";
import { requestStage, type RequestStageResult } from "./request.ts";
import { openStageLog } from "./stage_log.ts";
import type { ExportWindow } from "./window.ts";

/** Main thread → worker. */
export type RequestWorkerRequest =
  | {
    type: "start";
    config: ExportConfig;
    auth: ExportAuth;
    runDir: string;
    plan: ResolvedPlanOptions;
    concurrency?: number;
    onlyWindow?: number;
    useCounts: boolean;
    level: LogLevel;
  }
  | { type: "stop" };

/** Worker → main thread. */
export type RequestWorkerMessage =
  | { type: "window"; window: ExportWindow }
  | { type: "log"; record: LogFields & { ts: string; level: LogLevel; event: string } }
  | { type: "done"; result: Omit<RequestStageResult, "paused"> & { paused?: LarkErrorData } }
  | { type: "failed"; message: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<RequestWorkerRequest>) => void) | null;
  postMessage(message: RequestWorkerMessage): void;
};

const stop = new AbortController();

async function run(req: Extract<RequestWorkerRequest, { type: "start" }>): Promise<void> {
  const logger = createLogger({
    level: req.level,
    sinks: [{ write: (record) => scope.postMessage({ type: "log", record }) }],
  });
  const ledger = ExportLedger.open(`${req.runDir}/ledger.sqlite`);
  const planLog = openStageLog(req.runDir, "plan");
  const requestLog = openStageLog(req.runDir, "request");
  const countLog = req.useCounts ? openStageLog(req.runDir, "count") : undefined;
  try {
    const ctx = await createExportContext(req.config, req.auth, { logger });
    const { paused, ...rest } = await requestStage({
      ledger,
      client: ctx.api,
      counter: req.useCounts ? undefined : null,
      plan: req.plan,
      concurrency: req.concurrency,
      onlyWindow: req.onlyWindow,
      signal: stop.signal,
      planLog,
      requestLog,
      countLog,
      onWindow: (window) => scope.postMessage({ type: "window", window }),
      logger,
    });
    scope.postMessage({
      type: "done",
      result: { ...rest, paused: paused ? larkErrorData(paused) : undefined },
    });
  } finally {
    planLog.close();
    requestLog.close();
    countLog?.close();
    ledger.close();
  }
}

scope.onmessage = (e) => {
  const req = e.data;
  if (req.type === "stop") {
    stop.abort(new DOMException("interrupted", "AbortError"));
    return;
  }
  run(req).catch((err) => {
    scope.postMessage({ type: "failed", message: err instanceof Error ? err.message : String(err) });
  });
};
