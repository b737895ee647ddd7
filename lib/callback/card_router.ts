import type { CardAction } from "./card_action.ts";

/** A toast shown to the user who clicked. */
export interface CardToast {
  /** `info`, `success`, `error` or `warning`. */
  type: "info" | "success" | "error" | "warning";
  /** Text (Chinese for users). */
  content: string;
}

/** What a handler returns: the card's new state and/or a toast. */
export interface CardHandlerResult {
  /** The new card JSON (replaces the clicked card). */
  card?: Record<string, unknown>;
  /** A toast (only shown when the result arrives in the immediate callback answer). */
  toast?: CardToast;
}

/** Handles clicks of one action. */
export type CardHandler = (
  action: CardAction,
  context: { attempt: number },
) => Promise<CardHandlerResult | void>;

/**
 * Handlers by action name ({@linkcode CardAction.name}: the button value's
 * `action` field, else the component's `name`, else its tag).
 *
 * @example
 * ```ts
 * declare function approvedCard(approverOpenId?: string): Record<string, unknown>;
 *
 * const router = new CardRouter().on("approve", async (a) => ({ card: approvedCard(a.operator.openId) }));
 * ```
 */
export class CardRouter {
  readonly #handlers = new Map<string, CardHandler>();
  #fallback?: CardHandler;

  /** Register the handler of `name` (replacing an earlier one). */
  on(name: string, handler: CardHandler): this {
    this.#handlers.set(name, handler);
    return this;
  }

  /** Handler for actions no other handler claims. */
  otherwise(handler: CardHandler): this {
    this.#fallback = handler;
    return this;
  }

  /** The handler for `action`, if any. */
  handlerFor(action: CardAction): CardHandler | undefined {
    return this.#handlers.get(action.name) ?? this.#fallback;
  }

  /** Registered action names. */
  get names(): string[] {
    return [...this.#handlers.keys()];
  }
}
