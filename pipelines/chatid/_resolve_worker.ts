/**
 * The chatid resolve stage as a Worker (internal; see `worker_resolver.ts`).
 * It is started with network access to the configured Feishu hosts and
 * read/write access to the token store's folder (and read access to its key
 * file) — for a PostgreSQL store, network access to its host and port and the
 * `PG*` environment variables its client reads instead of the folder —
 * nothing else: no other file, no other environment, no subprocess. Rows, log lines and the outcome go
 * back to the main thread, which journals them.
 *
 * @module
 */
import { type LarkErrorData, larkErrorData } from "../../lib/errors/revive_error.ts";
import { loadSecretBox } from "../../lib/crypto/key_source.ts";
import { closeTokenStore, openTokenStore } from "../../lib/token/open_token_store.ts";
import { serveStageWorker } from "../../lib/worker/serve_stage_worker.ts";
import { type ChatIdConfig, chatIdTokenStore } from "./config.ts";
import { createChatIdContext } from "./context.ts";
import { inProcessResolver } from "./resolver.ts";
import type { ChatIdRow } from "./row.ts";

/** What the stage is started with. */
export interface ResolveWorkerStart {
  /** Validated configuration (secrets included: the worker reads no environment). */
  config: ChatIdConfig;
  /** Contracts to resolve. */
  numbers: string[];
  /** Contracts in flight at once. */
  concurrency: number;
  /** Key file of the token store's encryption key (created by the main thread). */
  keyFile: string;
  /** `FEISHU_KIT_KEY` as the main thread read it (the worker reads no environment). */
  keyFromEnv?: string;
}

/** One finished contract. */
export interface ResolveWorkerEvent {
  /** Its row. */
  row: ChatIdRow;
  /** True for the row of a fatal failure. */
  fatal: boolean;
}

/** How the stage ended. */
export interface ResolveWorkerResult {
  /** Throttling answers seen. */
  throttled: number;
  /** The fatal failure, if any. */
  fatal?: LarkErrorData;
}

serveStageWorker<ResolveWorkerStart, ResolveWorkerEvent, ResolveWorkerResult>(
  async (start, { signal, emit, logger }) => {
    const box = await loadSecretBox({
      keyFile: start.keyFile,
      getEnv: () => start.keyFromEnv,
      create: false,
    });
    const store = openTokenStore(chatIdTokenStore(start.config), { box, logger });
    try {
      const ctx = createChatIdContext(start.config, { store, logger });
      const res = await inProcessResolver(ctx, ctx.throttled).resolve(start.numbers, {
        concurrency: start.concurrency,
        signal,
        onRow: (row, fatal) => emit({ row, fatal }),
      });
      return { throttled: res.throttled, fatal: res.fatal ? larkErrorData(res.fatal.error) : undefined };
    } finally {
      await closeTokenStore(store);
    }
  },
);
