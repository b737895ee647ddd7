import type { LarkEvent } from "../events/lark_event.ts";

/** Event type of new-style card callbacks (card JSON 2.0, callback subscription). */
export const CARD_ACTION_EVENT = "card.action.trigger";
/** Event type given to old-style callbacks (the bot's message-card request URL). */
export const CARD_ACTION_V1_EVENT = "card.action.trigger_v1";

/** A card click, normalised from either callback style. */
export interface CardAction {
  /** De-duplication key: `header.event_id`, or `v1:<nonce>` for old-style callbacks. */
  eventId: string;
  /** `card.action.trigger` or `card.action.trigger_v1`. */
  eventType: string;
  /** App the card belongs to. */
  appId?: string;
  /** Tenant. */
  tenantKey?: string;
  /** Who clicked. */
  operator: { openId?: string; userId?: string; unionId?: string };
  /** Route key: `action.value.action` when the value is an object with one, else `action.name`, else `action.tag`. */
  name: string;
  /** The component's `value` as configured on the card. */
  value: unknown;
  /** `button`, `select_static`, `input`, … */
  tag?: string;
  /** Form values (form containers). */
  formValue?: unknown;
  /** Chosen option (selects). */
  option?: string;
  /** Text entered (inputs). */
  inputValue?: string;
  /** Message the card is in. */
  messageId?: string;
  /** Chat of the message. */
  chatId?: string;
  /** Delayed-update token (30 min, 2 uses) for `interactive/v1/card/update`. */
  updateToken?: string;
  /** When Feishu created the callback, ms epoch. */
  createTimeMs?: number;
}

/** Normalise a stored card callback event (either style) into a {@linkcode CardAction}. */
export function cardActionFromEvent(event: LarkEvent): CardAction {
  const e = event.event;
  const action = obj(e.action) ?? {};
  const context = obj(e.context) ?? {};
  const operator = obj(e.operator) ?? {};
  const value = action.value;
  const valueAction = obj(value)?.action;
  const name = typeof valueAction === "string" ? valueAction : str(action.name) ?? str(action.tag) ?? "";
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    appId: event.appId,
    tenantKey: event.tenantKey,
    operator: {
      openId: str(operator.open_id) ?? str(e.open_id),
      userId: str(operator.user_id) ?? str(e.user_id),
      unionId: str(operator.union_id),
    },
    name,
    value,
    tag: str(action.tag),
    formValue: action.form_value,
    option: str(action.option),
    inputValue: str(action.input_value),
    messageId: str(context.open_message_id) ?? str(e.open_message_id),
    chatId: str(context.open_chat_id) ?? str(e.open_chat_id),
    updateToken: str(e.token),
    createTimeMs: event.createTimeMs,
  };
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
