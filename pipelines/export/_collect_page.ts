/**
 * DOM helpers of the browser collector (internal): where the page is (login,
 * chat list, chat), the messages shown, opening a chat by name and loading
 * older messages. Reads tolerate a page navigating underneath them.
 *
 * @module
 */
import type { Page } from "puppeteer-core";
import type { MessengerSelectors } from "./_collect_selectors.ts";

/** The bits of the DOM the page-side functions use (Deno's type check has no DOM lib). */
interface DomEl {
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomEl | null;
  querySelectorAll(selector: string): ArrayLike<DomEl>;
  textContent: string | null;
  hidden?: boolean;
  disabled?: boolean;
  offsetParent?: unknown;
  click(): void;
  scrollIntoView(): void;
}

/** Which messenger page is showing. */
export type PageKind = "login" | "chat" | "chats" | "unknown";

/** One message as read from the DOM. */
export interface DomMessage {
  /** Id attribute. */
  id: string;
  /** Text of the text element (or the whole message). */
  text: string;
  /** Time attribute as a number, or `null`. */
  time: number | null;
}

/** What the page shows now ("unknown" while it navigates). */
export async function pageKind(page: Page, sel: MessengerSelectors): Promise<PageKind> {
  try {
    return await page.evaluate((s: { qr: string; list: string; chats: string }) => {
      const doc = (globalThis as unknown as { document: DomEl }).document;
      if (doc.querySelector(s.qr)) return "login";
      if (doc.querySelector(s.list)) return "chat";
      if (doc.querySelector(s.chats)) return "chats";
      return "unknown";
    }, { qr: sel.qr, list: sel.messageList, chats: sel.chatList }) as PageKind;
  } catch {
    return "unknown"; // execution context destroyed by a navigation
  }
}

/** Messages shown in the open chat, in DOM order. */
export async function readMessages(page: Page, sel: MessengerSelectors): Promise<DomMessage[]> {
  return await page.$$eval(sel.message, (els, s) =>
    els.map((el) => {
      const textEl = s.text ? el.querySelector(s.text) : null;
      const time = s.timeAttr ? Number(el.getAttribute(s.timeAttr)) : NaN;
      return {
        id: el.getAttribute(s.idAttr) ?? "",
        text: ((textEl ?? el).textContent ?? "").trim(),
        time: Number.isFinite(time) && time > 0 ? time : null,
      };
    }), { text: sel.messageText, idAttr: sel.messageIdAttr, timeAttr: sel.messageTimeAttr });
}

/** Click the chat named `name` in the chat list; `false` when it is not listed. */
export async function clickChat(page: Page, sel: MessengerSelectors, name: string): Promise<boolean> {
  return await page.$$eval(sel.chatItem, (items, s) => {
    for (const item of items) {
      const label = item.getAttribute("data-chat-name") ??
        (item.querySelector(s.nameSel)?.textContent ?? item.textContent ?? "").trim();
      if (label.trim() === s.name) {
        const target = (item.querySelector("a") ?? item) as unknown as DomEl;
        target.click();
        return true;
      }
    }
    return false;
  }, { nameSel: sel.chatName, name });
}

/**
 * Click "load more" once and wait (up to `timeoutMs`) for more messages;
 * `false` when there is no such button or nothing new came.
 */
export async function loadOlder(page: Page, sel: MessengerSelectors, timeoutMs = 5000): Promise<boolean> {
  if (!sel.loadMore) return false;
  const before = (await page.$$(sel.message)).length;
  const clicked = await page.$eval(sel.loadMore, (el) => {
    const b = el as unknown as DomEl;
    if (b.hidden || b.disabled || b.offsetParent === null) return false;
    b.click();
    return true;
  }).catch(() => false);
  if (!clicked) return false;
  try {
    await page.waitForFunction(
      (s: string, n: number) =>
        (globalThis as unknown as { document: DomEl }).document.querySelectorAll(s).length > n,
      { timeout: timeoutMs },
      sel.message,
      before,
    );
    return true;
  } catch {
    return false;
  }
}

/** Click the download button of message `id`; `false` when the message or button is not shown. */
export async function clickDownload(page: Page, sel: MessengerSelectors, id: string): Promise<boolean> {
  return await page.$$eval(sel.message, (els, s) => {
    const el = els.find((e) => e.getAttribute(s.idAttr) === s.id);
    if (!el) return false;
    const buttons = Array.from(el.querySelectorAll(s.button)) as unknown as DomEl[];
    const button = buttons.find((b) => !s.label || (b.textContent ?? "").includes(s.label));
    if (!button) return false;
    button.scrollIntoView();
    button.click();
    return true;
  }, { idAttr: sel.messageIdAttr, id, button: sel.downloadButton, label: sel.downloadText });
}

/** Make message `id` present in the DOM, loading older messages as needed; `false` when it is not there. */
export async function revealMessage(
  page: Page,
  sel: MessengerSelectors,
  id: string,
  signal?: AbortSignal,
): Promise<boolean> {
  for (;;) {
    signal?.throwIfAborted();
    if ((await readMessages(page, sel)).some((m) => m.id === id)) return true;
    if (!(await loadOlder(page, sel))) return false;
  }
}

/** `true` when the open chat's title is `name` (or no title selector/element to check). */
export async function chatTitled(page: Page, sel: MessengerSelectors, name: string): Promise<boolean> {
  if (!sel.chatTitle) return true;
  return await page.evaluate((s: { title: string; name: string }) => {
    const title = (globalThis as unknown as { document: DomEl }).document.querySelector(s.title);
    return !title || (title.textContent ?? "").trim() === s.name;
  }, { title: sel.chatTitle, name }).catch(() => false);
}

/** `true` for errors of a page read interrupted by a navigation. */
export function contextLost(e: unknown): boolean {
  return /Execution context was destroyed|Cannot find context|detached|Target closed/i.test(String(e));
}
