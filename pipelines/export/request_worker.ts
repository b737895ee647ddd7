/**
 * Run the request stage in a Worker that may reach only the contract host
 * and the run directory (`deno task export` uses it): the answers of the
 * export and count endpoints are handled where no other file, no
 * environment and no subprocess can be reached.
 *
 * @module
 */
import { reviveLarkError } from "../../lib/errors/revive_error.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { restrictedWorker, type WorkerGrants } from "../../lib/worker/restricted_worker.ts";
import type { RequestWorkerMessage, RequestWorkerRequest } from "./_request_worker.ts";
import type { ExportConfig } from "./config.ts";
import type { ExportAuth } from "./context.ts";
import type { RequestStageOptions, RequestStageResult } from "./request.ts";

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
  return (o) => {
    const log = o.logger ?? silentLogger;
    const worker = restrictedWorker(
      new URL("./_request_worker.ts", import.meta.url),
      requestWorkerGrants(setup.auth, setup.runDir),
    );
    const onAbort = () => worker.postMessage({ type: "stop" } satisfies RequestWorkerRequest);
    o.signal?.addEventListener("abort", onAbort, { once: true });
    return new Promise<RequestStageResult>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<RequestWorkerMessage>) => {
        const m = e.data;
        if (m.type === "window") o.onWindow?.(m.window);
        else if (m.type === "log") forward(log, m.record);
        else if (m.type === "done") {
          const { paused, ...rest } = m.result;
          resolve({ ...rest, paused: paused ? reviveLarkError(paused) : undefined });
        } else reject(new Error(`request worker failed: ${m.message}`));
      };
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`request worker failed: ${e.message}`));
      };
      if (o.signal?.aborted) onAbort();
      worker.postMessage(
        {
          type: "start",
          config: setup.config,
          auth: setup.auth,
          runDir: setup.runDir,
          plan: o.plan,
          concurrency: o.concurrency,
          onlyWindow: o.onlyWindow,
          useCounts: o.counter !== null && o.counter !== undefined,
          level: setup.config.log.level,
        } satisfies RequestWorkerRequest,
      );
    }).finally(() => {
      o.signal?.removeEventListener("abort", onAbort);
      worker.terminate();
    });
  };
}

function forward(log: Logger, record: Extract<RequestWorkerMessage, { type: "log" }>["record"]): void {
  const { ts: _ts, level, event, ...fields } = record;
  log[level](event, fields);
}
