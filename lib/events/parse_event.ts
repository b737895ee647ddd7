import { constantTimeEqual } from "./_bytes.ts";
import { decryptEvent } from "./decrypt.ts";
import { EventRejectedError } from "./event_error.ts";
import type { ParsedCallback } from "./lark_event.ts";

/** Options of {@linkcode parseEvent}. */
export interface ParseEventOptions {
  /** Encrypt Key: needed when the payload is `{"encrypt": "…"}`. */
  encryptKey?: string;
  /** Verification Token: when set, the payload's token must equal it. */
  verificationToken?: string;
}

/**
 * Turn a parsed callback body into a URL-verification challenge or a
 * normalised {@linkcode LarkEvent}: decrypts `{"encrypt": …}` first, accepts the
 * v2 envelope and falls back to v1, and checks the Verification Token when one
 * is configured. Throws {@linkcode EventRejectedError} (`decrypt_failed`,
 * `bad_token`, `bad_envelope`, `bad_json`).
 *
 * @example
 * ```ts
 * declare const raw: string, encryptKey: string, verificationToken: string;
 *
 * const parsed = await parseEvent(JSON.parse(raw), { encryptKey, verificationToken });
 * if (parsed.type === "challenge") console.log(Response.json({ challenge: parsed.challenge })); // the answer
 * ```
 */
export async function parseEvent(payload: unknown, options: ParseEventOptions = {}): Promise<ParsedCallback> {
  let body = asObject(payload);
  if (!body) throw new EventRejectedError("bad_envelope", "callback body is not a JSON object");
  if (typeof body.encrypt === "string") {
    if (!options.encryptKey) {
      throw new EventRejectedError("decrypt_failed", "event is encrypted but no Encrypt Key is configured", {
        hint: "收到加密事件但未配置 Encrypt Key：请设置环境变量 APP_ENCRYPT_KEY（与开发者后台一致）。",
      });
    }
    const text = await decryptEvent(body.encrypt, options.encryptKey);
    let inner: unknown;
    try {
      inner = JSON.parse(text);
    } catch (e) {
      throw new EventRejectedError("decrypt_failed", "decrypted event is not JSON", { cause: e });
    }
    body = asObject(inner);
    if (!body) throw new EventRejectedError("bad_envelope", "decrypted event is not a JSON object");
  }
  if (body.type === "url_verification") {
    checkToken(str(body.token), options);
    const challenge = str(body.challenge);
    if (!challenge) throw new EventRejectedError("bad_envelope", "url_verification without challenge");
    return { type: "challenge", challenge };
  }
  const header = asObject(body.header);
  if (body.schema === "2.0" || header) {
    if (!header) throw new EventRejectedError("bad_envelope", "schema 2.0 event without header");
    const eventId = str(header.event_id);
    const eventType = str(header.event_type);
    if (!eventId || !eventType) {
      throw new EventRejectedError("bad_envelope", "event header lacks event_id or event_type");
    }
    checkIdText(eventId, "event_id");
    checkIdText(eventType, "event_type");
    checkToken(str(header.token), options);
    return {
      type: "event",
      event: {
        schema: "2.0",
        eventId,
        eventType,
        createTimeMs: epochMs(header.create_time),
        token: str(header.token),
        appId: str(header.app_id),
        tenantKey: str(header.tenant_key),
        event: asObject(body.event) ?? {},
        envelope: body,
      },
    };
  }
  const event = asObject(body.event);
  const uuid = str(body.uuid);
  if (body.type === "event_callback" && event && uuid) {
    checkIdText(uuid, "uuid");
    if (typeof event.type === "string") checkIdText(event.type, "event.type");
    checkToken(str(body.token), options);
    return {
      type: "event",
      event: {
        schema: "1.0",
        eventId: uuid,
        eventType: str(event.type) ?? "unknown",
        createTimeMs: epochMs(body.ts),
        token: str(body.token),
        appId: str(event.app_id),
        tenantKey: str(event.tenant_key),
        event,
        envelope: body,
      },
    };
  }
  throw new EventRejectedError("bad_envelope", "not a v2 event, v1 event or url_verification");
}

/**
 * Epoch value in ms from Feishu's mixed units, by digit count: ≥ 15 digits µs,
 * 12–14 ms, otherwise seconds (decimals allowed, v1 `ts`).
 */
export function epochMs(value: unknown): number | undefined {
  const text = typeof value === "number" ? String(value) : str(value);
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  const digits = text.split(".")[0].length;
  if (digits >= 15) return Math.floor(n / 1000);
  if (digits >= 12) return Math.floor(n);
  return Math.round(n * 1000);
}

/** Longest `event_id` / `event_type` accepted (Feishu's are 32-character hex ids and short dotted names). */
const MAX_ID_CHARS = 256;

/**
 * Refuse an id or type that is not plain text: control characters (a NUL would be cut by
 * SQLite), lone surrogates (not valid Unicode) or an implausible length. Feishu never sends
 * these, so such an event is forged or broken; refusing it (400) before the acknowledgement
 * keeps it out of the queue.
 */
function checkIdText(value: string, field: string): void {
  // deno-lint-ignore no-control-regex
  if (value.length > MAX_ID_CHARS || /[\u0000-\u001f\u007f]/.test(value) || !value.isWellFormed()) {
    throw new EventRejectedError("bad_envelope", `${field} is not plain text`, {
      hint: `事件的 ${field} 含控制字符、无效的 Unicode 或过长，不是飞书发出的事件，已拒绝。`,
    });
  }
}

function checkToken(token: string | undefined, options: ParseEventOptions): void {
  const want = options.verificationToken;
  if (!want) return;
  if (!token || !constantTimeEqual(token, want)) {
    throw new EventRejectedError("bad_token", "verification token does not match");
  }
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
