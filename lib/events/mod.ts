/**
 * Event intake: Feishu events arrive by webhook or long connection, are
 * verified (signature over the raw body, Verification Token), decrypted
 * (AES-256-CBC), normalised (v2 envelope, v1 fallback), stored durably in
 * SQLite with de-duplication on `event_id` across restarts, and only then
 * acknowledged. Processing happens later, from the store.
 *
 * @example
 * ```ts
 * import { handleWebhook, SqliteEventStore, MEETING_ENDED_EVENT, meetingEnded } from "./mod.ts";
 *
 * const store = new SqliteEventStore(".state/events.db");
 * Deno.serve((req) => handleWebhook(req, { store, encryptKey: Deno.env.get("APP_ENCRYPT_KEY") }));
 *
 * const next = await store.claimNext({ types: [MEETING_ENDED_EVENT] });
 * if (next) console.log(meetingEnded(next.event).meetingId);
 * ```
 *
 * @module
 */
export * from "./event_error.ts";
export * from "./lark_event.ts";
export * from "./verify_signature.ts";
export * from "./replay_guard.ts";
export * from "./decrypt.ts";
export * from "./parse_event.ts";
export * from "./event_store.ts";
export * from "./event_store_sqlite.ts";
export * from "./webhook_handler.ts";
export * from "./ws_adapter.ts";
export * from "./meeting_ended.ts";
