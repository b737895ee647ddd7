/**
 * The sandbox's messenger web app (internal route module), standing in for
 * the Feishu web messenger where the 飞书合同 bot delivers export files:
 *
 * - `GET /messenger/` → the chat list when logged in, else the QR login page;
 * - `GET /messenger/login?redirect=` QR login page (polls the status, then redirects);
 * - `GET /messenger/chats` chat list; `GET /messenger/chats/:chat_id` one chat;
 * - `GET /messenger/api/login/status?token=` → `{code:0, data:{status}}`, and on
 *   `confirmed` a persistent `messenger_session` cookie;
 * - `GET /messenger/api/chats`, `GET /messenger/api/chats/:chat_id/messages?limit=&before=&after=`;
 * - `GET /messenger/api/messages/:message_id/file` the xlsx as an attachment.
 *
 * Without a live session, pages redirect to the login page and the JSON
 * endpoints answer HTTP 401 `{code:401, message}`; a navigation to the file
 * (what the download button does) is redirected to the login page too.
 *
 * @module
 */
import { getCookie } from "hono/cookie";
import type { SandboxApp, SandboxContext } from "../_env.ts";
import { endpoint } from "../_middleware.ts";
import { sendJson } from "../_respond.ts";
import type { SandboxState } from "../state.ts";
import { chatListPage, chatPage, loginPage, notFoundPage } from "./_pages.ts";
import { attachmentHeader, XLSX_MIME } from "../clm/_xlsx_file.ts";
import { MESSENGER_ROOT } from "./endpoints.ts";
import type { ChatMessage } from "../im/chat_message.ts";
import { type ExportFamily, exportFamily } from "../scenarios/export/family.ts";
import { MESSENGER_COOKIE } from "./messenger_auth.ts";

/** One message as the messenger pages see it (a notice carries its file). */
export interface MessengerMessage {
  /** Message id (the notice's, for an export). */
  id: string;
  /** Position in the chat (stable: new messages only append). */
  index: number;
  /** Creation time, ms. */
  createTime: number;
  /** Sender display name. */
  sender: string;
  /** Text. */
  text: string;
  /** Attached file and its download URL. */
  file?: { name: string; url: string };
}

const R = MESSENGER_ROOT;

/** Register the messenger pages and their JSON endpoints. */
export function registerMessengerRoutes(app: SandboxApp, state: SandboxState): void {
  const fam = () => exportFamily(state);
  const loggedIn = (c: SandboxContext) => fam().messenger.isValid(getCookie(c, MESSENGER_COOKIE));
  const pageEntry = (c: SandboxContext) => {
    const entry = c.get("entry");
    if (entry) entry.endpoint = "messenger_page";
  };
  const toLogin = (c: SandboxContext, back: string) =>
    c.redirect(`${R}/login?redirect=${encodeURIComponent(back)}`, 302);
  const unauthorized = (c: SandboxContext) =>
    sendJson(c, state.clock, { code: 401, message: "登录已失效，请重新扫码登录", data: null }, 401);

  for (const path of [R, `${R}/`]) {
    app.get(path, (c) => {
      pageEntry(c);
      return c.redirect(loggedIn(c) ? `${R}/chats` : `${R}/login`, 302);
    });
  }
  app.get(`${R}/login`, (c) => {
    pageEntry(c);
    const wanted = c.req.query("redirect") ?? "";
    const redirect = wanted.startsWith(`${R}/`) ? wanted : `${R}/chats`;
    if (loggedIn(c)) return c.redirect(redirect, 302);
    const code = fam().messenger.newCode();
    return c.html(loginPage(code.token, redirect, fam().options.messengerPollMs));
  });
  app.get(`${R}/chats`, (c) => {
    pageEntry(c);
    if (!loggedIn(c)) return toLogin(c, `${R}/chats`);
    const f = fam();
    return c.html(chatListPage(f.chats.map((chat) => {
      const last = f.messages(chat.chatId).filter((m) => m.msgType !== "file").at(-1);
      return { chat, preview: last?.text ?? "" };
    })));
  });
  app.get(`${R}/chats/:chat_id`, (c) => {
    pageEntry(c);
    const chatId = c.req.param("chat_id");
    if (!loggedIn(c)) return toLogin(c, `${R}/chats/${chatId}`);
    const f = fam();
    const chat = f.chat(chatId);
    if (!chat) return c.html(notFoundPage("会话不存在"), 404);
    return c.html(chatPage(chat, f.options.messengerPollMs, f.options.messengerPageSize));
  });

  app.get(`${R}/api/login/status`, endpoint(state, "messenger_login_status"), (c) => {
    const f = fam();
    const poll = f.messenger.poll(c.req.query("token") ?? "");
    const headers: Record<string, string> = {};
    if (poll.session) {
      const maxAge = Math.floor(f.messenger.sessionTtlMs / 1000);
      headers["set-cookie"] =
        `${MESSENGER_COOKIE}=${poll.session}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax`;
    }
    return sendJson(c, state.clock, { code: 0, message: "ok", data: { status: poll.status } }, 200, headers);
  });
  app.get(`${R}/api/chats`, endpoint(state, "messenger_chats"), (c) => {
    if (!loggedIn(c)) return unauthorized(c);
    const chats = fam().chats.map((ch) => ({ chatId: ch.chatId, name: ch.name, isBot: ch.isBot }));
    return sendJson(c, state.clock, { code: 0, message: "ok", data: { chats } });
  });
  app.get(`${R}/api/chats/:chat_id/messages`, endpoint(state, "messenger_messages"), (c) => {
    if (!loggedIn(c)) return unauthorized(c);
    const f = fam();
    if (!f.chat(c.req.param("chat_id"))) {
      return sendJson(c, state.clock, { code: 404, message: "会话不存在", data: null }, 404);
    }
    return sendJson(c, state.clock, { code: 0, message: "ok", data: pageOf(c, f, state.clock.now()) });
  });
  app.get(`${R}/api/messages/:message_id/file`, endpoint(state, "messenger_file"), (c) => {
    if (!loggedIn(c)) {
      const navigation = (c.req.header("accept") ?? "").includes("text/html");
      return navigation ? toLogin(c, `${R}/chats/${fam().botChatId}`) : unauthorized(c);
    }
    const m = fam().message(c.req.param("message_id"));
    if (!m?.task) return sendJson(c, state.clock, { code: 404, message: "文件不存在", data: null }, 404);
    const bytes = fam().fileOf(m.task);
    return new Response(bytes, {
      status: 200,
      headers: {
        "content-type": XLSX_MIME,
        "content-length": String(bytes.byteLength),
        "content-disposition": attachmentHeader(m.task.fileName),
        "cache-control": "no-store",
      },
    });
  });
}

/** One page of the messenger view: `after` (ms cursor, inclusive), `before` (index) or the latest `limit`. */
function pageOf(c: SandboxContext, f: ExportFamily, now: number) {
  const all = view(f.messages(c.req.param("chat_id")!));
  const limit = Math.min(500, Math.max(1, Number(c.req.query("limit")) || f.options.messengerPageSize));
  const after = c.req.query("after");
  const before = c.req.query("before");
  let messages: MessengerMessage[];
  let hasMore = false;
  if (after !== undefined) {
    // Inclusive: a message delivered in the same ms as the previous poll is not lost (pages dedupe by id).
    messages = all.filter((m) => m.createTime >= Number(after));
  } else {
    const end = before !== undefined ? Math.max(0, Math.min(all.length, Number(before) || 0)) : all.length;
    const start = Math.max(0, end - limit);
    messages = all.slice(start, end);
    hasMore = start > 0;
  }
  return { messages, hasMore, cursor: now };
}

/** Messenger view of IM messages: file messages fold into their notice. */
function view(messages: ChatMessage[]): MessengerMessage[] {
  const out: MessengerMessage[] = [];
  for (const m of messages) {
    if (m.msgType === "file") continue;
    const item: MessengerMessage = {
      id: m.messageId,
      index: out.length,
      createTime: m.createTime,
      sender: m.senderName,
      text: m.text,
    };
    if (m.task) item.file = { name: m.task.fileName, url: `${R}/api/messages/${m.messageId}/file` };
    out.push(item);
  }
  return out;
}
