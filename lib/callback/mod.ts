/**
 * Card callbacks through a queue: the callback URL verifies (signature,
 * token, timestamp window, single-use nonce) and queues each click durably,
 * answering Feishu within 3 s; workers run the handler registered for the
 * action once per click and put the returned card in place of the clicked one.
 *
 * @example
 * ```ts
 * import { CardRouter, handleCardCallback, PatchCardUpdater, SqliteHandledLedger, startCardWorker } from "./mod.ts";
 * import { SqliteQueue } from "../queue/mod.ts";
 * import type { LarkHttp } from "../http/lark_http.ts";
 * import type { CardJob } from "./card_job.ts";
 *
 * declare const httpFor: (appId: string) => LarkHttp;
 * const queue = new SqliteQueue<CardJob>(".state/core.db");
 * const router = new CardRouter().on("approve", async () => ({ card: { schema: "2.0", body: { elements: [] } } }));
 * startCardWorker({ queue, router, ledger: new SqliteHandledLedger(".state/core.db"), updater: new PatchCardUpdater(httpFor) });
 * const options = { queue, encryptKey: Deno.env.get("APP_ENCRYPT_KEY") }; // one per service: it keeps the nonces
 * Deno.serve((req) => handleCardCallback(req, options));
 * ```
 *
 * @module
 */
export * from "./card_action.ts";
export * from "./card_job.ts";
export * from "./card_router.ts";
export * from "./card_updater.ts";
export * from "./handled_ledger.ts";
export * from "./handled_ledger_postgres.ts";
export * from "./card_worker.ts";
export * from "./card_callback_sink.ts";
export * from "./card_callback_intake.ts";
