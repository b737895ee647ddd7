/**
 * The chatid resolve stage as a Worker (internal; see `worker_resolver.ts`).
 * It is started with network access to the configured Feishu hosts and
 * read/write access to the token store's folder, nothing else: no other
 * file, no environment, no subprocess. Rows, log lines and the outcome go
 * back to the main thread, which journals them.
 *
 * @module
 */
import { type LarkErrorData, larkErrorData } from "../../lib/errors/revive_error.ts";
import { createLogger, type LogFields, type LogLevel } from "../../lib/log/logger.ts";
import { SqliteTokenStore } from "../../lib/token/token_store_sqlite.ts";
import type { ChatIdConfig } from "./config.ts";
import { createChatIdContext } from "./context.ts";
import { inProcessResolver } from "./resolver.ts";
import type { ChatIdRow } from "./row.ts";

/** Main thread → worker. */
export type ResolveWorkerRequest =
  | { type: "start"; config: ChatIdConfig; numbers: string[]; concurrency: number; level: LogLevel }
  | { type: "stop" };

/** Worker → main thread. */
export type ResolveWorkerMessage =
  | { type: "row"; row: ChatIdRow; fatal: boolean }
  | { type: "log"; record: LogFields & { ts: string; level: LogLevel; event: string } }
  | { type: "done"; throttled: number; fatal?: LarkErrorData }
  | { type: "failed"; message: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ResolveWorkerRequest>) => void) | null;
  postMessage(message: ResolveWorkerMessage): void;
};

const stop = new AbortController();

async function run(req: Extract<ResolveWorkerRequest, { type: "start" }>): Promise<void> {
  const logger = createLogger({
    level: req.level,
    sinks: [{ write: (record) => scope.postMessage({ type: "log", record }) }],
  });
  const store = new SqliteTokenStore(req.config.state.token_db, { logger });
  try {
    const ctx = createChatIdContext(req.config, { store, logger });
    const res = await inProcessResolver(ctx, ctx.throttled).resolve(req.numbers, {
      concurrency: req.concurrency,
      signal: stop.signal,
      onRow: (row, fatal) => scope.postMessage({ type: "row", row, fatal }),
    });
    scope.postMessage({
      type: "done",
      throttled: res.throttled,
      fatal: res.fatal ? larkErrorData(res.fatal.error) : undefined,
    });
  } finally {
    store.close();
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
