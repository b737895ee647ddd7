/**
 * State of the sandbox's card family: card messages (seeded by tests or sent
 * through the IM family) and every version their content went through, plus
 * the clicks delivered. Lives in `state.families` under `"card"` and resets
 * with the sandbox.
 *
 * @module
 */
import type { SandboxState } from "../state.ts";

/** Key of the family in `state.families`. */
export const CARD_FAMILY_KEY = "card";

/** One card message and its history. */
export interface CardMessage {
  /** `om_…`. */
  messageId: string;
  /** App that sent it. */
  appId: string;
  /** Current card JSON. */
  card: unknown;
  /** Every earlier version, oldest first (the first is what was sent). */
  history: unknown[];
  /** PATCH calls that changed it. */
  updates: number;
  /** Seeded through `POST /__sandbox/card/messages` (updated by this family, not by the IM family). */
  seeded?: boolean;
}

/** One delivered click. */
export interface DeliveredClick {
  /** `header.event_id` (v2) or the synthetic id of a v1 click. */
  eventId: string;
  /** Message clicked. */
  messageId: string;
  /** HTTP status the callback URL answered. */
  status: number;
  /** Body the callback URL answered (text). */
  body: string;
}

/** The card family's state. */
export class CardFamily {
  /** Card messages by id. */
  readonly messages = new Map<string, CardMessage>();
  /** Clicks delivered, in order. */
  readonly clicks: DeliveredClick[] = [];

  /** Forget everything. */
  reset(): void {
    this.messages.clear();
    this.clicks.length = 0;
  }
}

/** The family of `state` (created on first use). */
export function cardFamily(state: SandboxState): CardFamily {
  let f = state.families.get(CARD_FAMILY_KEY) as CardFamily | undefined;
  if (!f) {
    f = new CardFamily();
    state.families.set(CARD_FAMILY_KEY, f);
  }
  return f;
}
