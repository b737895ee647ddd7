/**
 * Instant messaging: sending messages and interactive cards from the app's
 * bot (`im/v1/messages`), card JSON 1.0 builders including the archiver's
 * green "archived" and red "authorization required" cards, and verification
 * of old-style card callbacks.
 *
 * @example
 * ```ts
 * import { MessageApi, successCard } from "./mod.ts";
 *
 * await new MessageApi(http).sendCard("open_id", "ou_xxx", successCard({ fileName, paths }));
 * ```
 *
 * @module
 */
export * from "./card.ts";
export * from "./notify_cards.ts";
export * from "./message_api.ts";
export * from "./verify_card_signature.ts";
