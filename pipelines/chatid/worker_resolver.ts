import { reviveLarkError } from "../../lib/errors/revive_error.ts";
import { type Logger, silentLogger } from "../../lib/log/logger.ts";
import { restrictedWorker, type WorkerGrants } from "../../lib/worker/restricted_worker.ts";
import type { ResolveWorkerMessage, ResolveWorkerRequest } from "./_resolve_worker.ts";
import type { ChatIdConfig } from "./config.ts";
import { FatalRunError } from "./resolve.ts";
import type { ChatIdRow } from "./row.ts";
import type { Resolver, ResolveStageResult } from "./resolver.ts";

/**
 * What the resolve Worker may do: connect to the Open Platform and contract
 * hosts of `config`, and read/write the token store's folder. Nothing else.
 */
export function resolveWorkerGrants(config: ChatIdConfig): WorkerGrants {
  const tokenDir = dirname(config.state.token_db);
  return {
    net: [...new Set([new URL(config.app.base_url).host, new URL(config.clm.base_url).host])],
    read: [tokenDir],
    write: [tokenDir],
  };
}

/**
 * The resolve stage in a Worker with only {@linkcode resolveWorkerGrants}:
 * the responses of Feishu and the contract site are parsed where no file
 * but the token store, no environment and no subprocess can be reached.
 * Rows and log lines come back to this thread (which journals them).
 */
export function workerResolver(config: ChatIdConfig, o: { logger?: Logger } = {}): Resolver {
  const log = o.logger ?? silentLogger;
  return {
    resolve(numbers, opts) {
      const worker = restrictedWorker(
        new URL("./_resolve_worker.ts", import.meta.url),
        resolveWorkerGrants(config),
      );
      const onAbort = () => worker.postMessage({ type: "stop" } satisfies ResolveWorkerRequest);
      opts.signal.addEventListener("abort", onAbort, { once: true });
      let fatalRow: ChatIdRow | undefined;
      return new Promise<ResolveStageResult>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<ResolveWorkerMessage>) => {
          const m = e.data;
          if (m.type === "row") {
            if (m.fatal) fatalRow = m.row;
            opts.onRow(m.row, m.fatal);
          } else if (m.type === "log") {
            const { ts: _ts, level, event, ...fields } = m.record;
            log[level](event, fields);
          } else if (m.type === "done") {
            const fatal = m.fatal && fatalRow
              ? new FatalRunError(reviveLarkError(m.fatal), fatalRow)
              : undefined;
            resolve({ fatal, throttled: m.throttled });
          } else reject(new Error(`resolve worker failed: ${m.message}`));
        };
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new Error(`resolve worker failed: ${e.message}`));
        };
        if (opts.signal.aborted) onAbort();
        worker.postMessage(
          {
            type: "start",
            config,
            numbers: [...numbers],
            concurrency: opts.concurrency,
            level: config.log.level,
          } satisfies ResolveWorkerRequest,
        );
      }).finally(() => {
        opts.signal.removeEventListener("abort", onAbort);
        worker.terminate();
      });
    },
  };
}

function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i > 0 ? path.slice(0, i) : ".";
}
