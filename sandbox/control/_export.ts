/**
 * Control endpoints of the export family (internal route module; under
 * `/__sandbox`, so neither journaled nor faulted):
 *
 * - `GET  /__sandbox/export` data set, over-cap days, bot chat, tokens, knobs, tasks;
 * - `POST /__sandbox/export` change knobs, body {@linkcode ExportControlRequest};
 * - `GET  /__sandbox/messenger` pending QR logins and live sessions;
 * - `POST /__sandbox/messenger/scan` `{token?}` scan one pending QR code (or all);
 * - `POST /__sandbox/messenger/logout` log every messenger session out.
 *
 * Answers `{code:0, message:"ok", data}`; bad requests HTTP 400 `{code:400, message}`.
 *
 * @module
 */
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { CONTROL_PREFIX } from "../_middleware.ts";
import type { SandboxState } from "../state.ts";
import { type ExportFamily, exportFamily } from "../scenarios/export/family.ts";
import { EXPORT_ROW_CAP } from "../scenarios/export/options.ts";

/** Body of `POST /__sandbox/export`; every part optional, applied in this order. */
export interface ExportControlRequest {
  /** New delivery delay, ms. */
  deliveryDelayMs?: number;
  /** New shuffle spread, ms (0 = in order). */
  shuffleMs?: number;
  /** The next `n` (default 1) deliveries come `extraMs` late. */
  slowNext?: { n?: number; extraMs: number };
  /** The next `n` exports are never delivered. */
  dropNext?: number;
  /** Deliver every pending export now. */
  deliverNow?: boolean;
  /** Revoke the IM user tokens. */
  revokeUserTokens?: boolean;
  /** Accept one more IM user token. */
  addUserToken?: string;
}

/** Apply an {@linkcode ExportControlRequest}; throws `RangeError` (Chinese) on invalid input. */
export function applyExportControl(family: ExportFamily, body: ExportControlRequest): void {
  if (body === null || typeof body !== "object") throw new RangeError("请求体必须是 JSON 对象");
  const ms = (key: string, v: unknown) => {
    if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) {
      throw new RangeError(`${key} 必须是非负毫秒数，实际为 ${v}`);
    }
    return v;
  };
  const count = (key: string, v: unknown) => {
    if (!Number.isInteger(v) || (v as number) < 0) throw new RangeError(`${key} 必须是非负整数，实际为 ${v}`);
    return v as number;
  };
  if (body.deliveryDelayMs !== undefined) {
    family.deliveryDelayMs = ms("deliveryDelayMs", body.deliveryDelayMs);
  }
  if (body.shuffleMs !== undefined) family.shuffleMs = ms("shuffleMs", body.shuffleMs);
  if (body.slowNext !== undefined) {
    family.slowNext(count("slowNext.n", body.slowNext.n ?? 1), ms("slowNext.extraMs", body.slowNext.extraMs));
  }
  if (body.dropNext !== undefined) family.dropNext(count("dropNext", body.dropNext));
  if (body.deliverNow) family.deliverNow();
  if (body.revokeUserTokens) family.revokeUserTokens();
  if (body.addUserToken !== undefined) {
    if (typeof body.addUserToken !== "string" || body.addUserToken === "") {
      throw new RangeError("addUserToken 必须是非空字符串");
    }
    family.addUserToken(body.addUserToken);
  }
}

/** Overview of the family for `GET /__sandbox/export`. */
export function exportOverview(family: ExportFamily): Record<string, unknown> {
  const o = family.options;
  return {
    record_count: o.recordCount,
    start_date: family.dataset.startDate,
    end_date: family.dataset.endDate,
    row_cap: EXPORT_ROW_CAP,
    days_over_cap: family.dataset.daysOver(EXPORT_ROW_CAP),
    bot_chat_id: family.botChatId,
    bot_app_id: family.botAppId,
    user_access_tokens: o.userAccessTokens,
    app_bot_in_chats: o.appBotInChats,
    im_user_token_reads: o.imUserTokenReads,
    delivery_delay_ms: family.deliveryDelayMs,
    shuffle_ms: family.shuffleMs,
    messenger_path: "/messenger/",
    tasks: family.tasks.map((t) => ({
      task_id: t.taskId,
      start_date: t.startDate,
      end_date: t.endDate,
      total: t.total,
      rows: t.rows,
      requested_at: t.requestedAt,
      deliver_at: t.deliverAt,
      message_id: t.noticeMessageId,
    })),
  };
}

/** Register the control endpoints. */
export function registerExportControlRoutes(app: SandboxApp, state: SandboxState): void {
  const ok = (c: SandboxContext, data: unknown) => c.json({ code: 0, message: "ok", data });
  const bad = (c: SandboxContext, message: string, status: 400 | 404 = 400) =>
    c.json({ code: status, message }, status);
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e));
  const fam = () => exportFamily(state);

  app.get(`${CONTROL_PREFIX}/export`, (c) => ok(c, exportOverview(fam())));
  app.post(`${CONTROL_PREFIX}/export`, async (c) => {
    try {
      applyExportControl(fam(), await c.req.json());
    } catch (e) {
      return bad(c, `导出沙箱设置无效：${why(e)}`);
    }
    return ok(c, exportOverview(fam()));
  });
  app.get(`${CONTROL_PREFIX}/messenger`, (c) => {
    const f = fam();
    return ok(c, {
      pending_logins: f.messenger.pending.map((p) => ({ token: p.token, expires_at: p.expiresAt })),
      sessions: f.messenger.sessionCount,
      chats: f.chats.map((ch) => ({ chat_id: ch.chatId, name: ch.name })),
    });
  });
  app.post(`${CONTROL_PREFIX}/messenger/scan`, async (c) => {
    let token: string | undefined;
    try {
      const text = await c.req.text();
      const body = text.trim() === "" ? {} : JSON.parse(text);
      if (body.token !== undefined && typeof body.token !== "string") {
        throw new RangeError("token 必须是字符串");
      }
      token = body.token;
    } catch (e) {
      return bad(c, `扫码请求无效：${why(e)}`);
    }
    const scanned = fam().messenger.scan(token);
    if (token !== undefined && scanned.length === 0) return bad(c, "登录码不存在、已过期或已使用", 404);
    return ok(c, { scanned });
  });
  app.post(`${CONTROL_PREFIX}/messenger/logout`, (c) => ok(c, { logged_out: fam().messenger.logoutAll() }));
}
