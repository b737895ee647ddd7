import { reviveLarkError } from "../../lib/errors/revive_error.ts";
import type { Logger } from "../../lib/log/logger.ts";
import type { WorkerGrants } from "../../lib/worker/restricted_worker.ts";
import { runStageWorker } from "../../lib/worker/run_stage_worker.ts";
import type { ResolveWorkerEvent, ResolveWorkerResult, ResolveWorkerStart } from "./_resolve_worker.ts";
import { type ChatIdConfig, chatIdKeyFile, chatIdTokenStore } from "./config.ts";
import { storeFile, storeNetHost } from "../../lib/token/store_setting.ts";
import { FatalRunError } from "./resolve.ts";
import type { ChatIdRow } from "./row.ts";
import type { Resolver } from "./resolver.ts";

/**
 * What the resolve Worker may do: connect to the Open Platform and contract
 * hosts of `config`, read its key file, and reach the token store — read/write
 * its folder (SQLite), or connect to its `host:port` and read the `PG*`
 * environment variables the PostgreSQL client consults (PostgreSQL). Nothing else.
 */
export function resolveWorkerGrants(config: ChatIdConfig): WorkerGrants {
  const store = chatIdTokenStore(config);
  const feishu = [new URL(config.app.base_url).host, new URL(config.clm.base_url).host];
  const file = storeFile(store);
  if (file === undefined) {
    return {
      net: [...new Set([...feishu, storeNetHost(store)!])],
      read: [chatIdKeyFile(config)],
      env: ["PG*"],
    };
  }
  const tokenDir = dirname(file);
  return {
    net: [...new Set(feishu)],
    read: [...new Set([tokenDir, chatIdKeyFile(config)])],
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
  return {
    async resolve(numbers, opts) {
      let fatalRow: ChatIdRow | undefined;
      const r = await runStageWorker<ResolveWorkerStart, ResolveWorkerEvent, ResolveWorkerResult>(
        new URL("./_resolve_worker.ts", import.meta.url),
        resolveWorkerGrants(config),
        {
          config,
          numbers: [...numbers],
          concurrency: opts.concurrency,
          keyFile: chatIdKeyFile(config),
          keyFromEnv: Deno.env.get("FEISHU_KIT_KEY"),
        },
        {
          signal: opts.signal,
          logger: o.logger,
          level: config.log.level,
          onEvent: ({ row, fatal }) => {
            if (fatal) fatalRow = row;
            opts.onRow(row, fatal);
          },
        },
      );
      const fatal = r.fatal && fatalRow ? new FatalRunError(reviveLarkError(r.fatal), fatalRow) : undefined;
      return { fatal, throttled: r.throttled };
    },
  };
}

function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i > 0 ? path.slice(0, i) : ".";
}
