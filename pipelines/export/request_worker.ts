/**
 * Run the request stage in a Worker that may reach only the contract host
 * and the run directory (`deno task export` uses it): the answers of the
 * export and count endpoints are handled where no other file, no
 * environment and no subprocess can be reached.
 *
 * @module
 */
import { reviveLarkError } from "../../lib/errors/revive_error.ts";
import type { WorkerGrants } from "../../lib/worker/restricted_worker.ts";
import { runStageWorker } from "../../lib/worker/run_stage_worker.ts";
import type { RequestWorkerResult, RequestWorkerStart } from "./_request_worker.ts";
import type { ExportConfig } from "./config.ts";
import type { ExportAuth } from "./context.ts";
import type { RequestStageOptions, RequestStageResult } from "./request.ts";
import type { ExportWindow } from "./window.ts";

/** Runs the request stage (`requestStage` in this thread, or {@linkcode requestStageInWorker}). */
export type RequestStageRunner = (o: RequestStageOptions) => Promise<RequestStageResult>;

/** What the request Worker may do: the export (and count) host, and the run directory. */
export function requestWorkerGrants(auth: ExportAuth, runDir: string): WorkerGrants {
  const hosts = [auth.baseUrl, auth.count?.baseUrl].flatMap((u) => (u ? [new URL(u).host] : []));
  return { net: [...new Set(hosts)], read: [runDir], write: [runDir] };
}

/**
 * A {@linkcode RequestStageRunner} that runs the stage in a Worker with only
 * {@linkcode requestWorkerGrants}. The Worker builds its own client from
 * `config` and `auth` and opens its own connection to the ledger in
 * `runDir`; of the stage options it uses the plan, `concurrency`,
 * `onlyWindow`, `signal`, `onWindow`, `logger` and whether counts are on
 * (`counter !== null`).
 */
export function requestStageInWorker(setup: {
  config: ExportConfig;
  auth: ExportAuth;
  runDir: string;
}): RequestStageRunner {
  return async (o) => {
    const { paused, ...rest } = await runStageWorker<RequestWorkerStart, ExportWindow, RequestWorkerResult>(
      new URL("./_request_worker.ts", import.meta.url),
      requestWorkerGrants(setup.auth, setup.runDir),
      {
        config: setup.config,
        auth: setup.auth,
        runDir: setup.runDir,
        plan: o.plan,
        concurrency: o.concurrency,
        onlyWindow: o.onlyWindow,
        useCounts: o.counter !== null && o.counter !== undefined,
      },
      { signal: o.signal, logger: o.logger, level: setup.config.log.level, onEvent: o.onWindow },
    );
    return { ...rest, paused: paused ? reviveLarkError(paused) : undefined };
  };
}
