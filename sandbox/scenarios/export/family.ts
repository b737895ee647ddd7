/**
 * State of the sandbox's export family: the data set, export tasks and their
 * delivery as 飞书合同 bot messages, the chats, the messenger logins and the
 * delivery knobs. Get it with {@linkcode exportFamily}; it is created on first
 * use (so a sandbox with a fake clock at 1970 still starts) and reset by
 * `sandbox.reset()`.
 *
 * Delivery needs no timer: a task's messages become visible once the sandbox
 * clock reaches its `deliverAt`, which makes the family exact under a
 * `FakeClock` and leaves nothing running when a server closes.
 *
 * @module
 */
import { forkPrng, type Prng } from "../../_prng.ts";
import type { SandboxState } from "../../state.ts";
import { isoOfMs } from "../../clm/_days.ts";
import { buildExportXlsx } from "../../clm/_xlsx_file.ts";
import type { ChatMessage, SandboxChat } from "../../im/chat_message.ts";
import { CooperationDataset } from "../../clm/dataset.ts";
import type { ExportRequest, ExportTask } from "../../clm/export_task.ts";
import { MessengerAuth } from "../../messenger/messenger_auth.ts";
import { BOT_NAME, formatNoticeText } from "../../clm/notice_text.ts";
import { EXPORT_ROW_CAP, type ResolvedExportOptions, resolveExportOptions } from "./options.ts";

/** Key of this family in `state.families`. */
export const EXPORT_FAMILY_KEY = "export";

/** The export family's state and knobs. */
export class ExportFamily {
  /** Resolved options. */
  readonly options: ResolvedExportOptions;
  /** The data set. */
  readonly dataset: CooperationDataset;
  /** Messenger logins and sessions. */
  readonly messenger: MessengerAuth;
  /** App id of the 飞书合同 bot (IM `sender.id`). */
  readonly botAppId: string;
  /** Tenant key of the sandbox user. */
  readonly tenantKey: string;
  /** Chat id of the user's chat with the 飞书合同 bot. */
  readonly botChatId: string;
  /** The user's chats (the bot chat first). */
  readonly chats: readonly SandboxChat[];
  /** Delivery delay for new exports, ms. */
  deliveryDelayMs: number;
  /** Extra random delay per new delivery in `[0, shuffleMs]`, ms. */
  shuffleMs: number;
  readonly #state: SandboxState;
  readonly #static: ChatMessage[];
  readonly #userTokens = new Set<string>();
  #tasks: ExportTask[] = [];
  #slow: number[] = [];
  #drop = 0;
  #seq = 0;
  #rng: Prng;
  readonly #files = new Map<string, Uint8Array<ArrayBuffer>>();

  /** Create from the sandbox state (resolves `state.options.export`). */
  constructor(state: SandboxState) {
    this.#state = state;
    const now = state.clock.now();
    this.options = resolveExportOptions(state.options.export, state.options.seed, isoOfMs(now));
    const o = this.options;
    this.dataset = new CooperationDataset(o);
    this.messenger = new MessengerAuth(state.clock, o.qrTtlMs, o.messengerSessionTtlMs);
    const ids = forkPrng(o.seed, "export-ids");
    this.botAppId = `cli_${ids.hex(16)}`;
    this.tenantKey = ids.hex(16);
    this.botChatId = `oc_${ids.hex(32)}`;
    this.chats = [
      { chatId: this.botChatId, name: BOT_NAME, isBot: true },
      { chatId: `oc_${ids.hex(32)}`, name: "法务部合同协同群", isBot: false },
      { chatId: `oc_${ids.hex(32)}`, name: "张伟", isBot: false },
    ];
    const say = (chat: SandboxChat, ago: number, text: string, senderName: string): ChatMessage => ({
      messageId: `om_${ids.hex(32)}`,
      chatId: chat.chatId,
      msgType: "text",
      createTime: now - ago,
      text,
      senderName,
      fromBot: chat.isBot,
      seq: this.#seq++,
    });
    this.#static = [
      say(
        this.chats[0],
        86_400_000,
        "你好，我是飞书合同助手。合同审批、协同与导出结果会通过我通知你。",
        BOT_NAME,
      ),
      say(this.chats[0], 3_600_000, "合同 HT-2024-000318 已完成归档。", BOT_NAME),
      say(this.chats[1], 7_200_000, "本周待签合同请在周五前完成协同确认。", "王芳"),
      say(this.chats[2], 600_000, "导出的协同记录记得发我一份。", "张伟"),
    ];
    this.deliveryDelayMs = o.deliveryDelayMs;
    this.shuffleMs = o.shuffleMs;
    this.#rng = forkPrng(o.seed, "export-tasks");
    for (const t of o.userAccessTokens) this.#userTokens.add(t);
  }

  /** Every export so far, oldest first. */
  get tasks(): readonly ExportTask[] {
    return this.#tasks;
  }

  /** Record an export and schedule its delivery. */
  requestExport(req: ExportRequest): ExportTask {
    const now = this.#state.clock.now();
    const total = this.dataset.count(req.fromMs, req.toMs, req.keyword);
    const startDate = isoOfMs(req.fromMs, req.tzOffset);
    const endDate = isoOfMs(req.toMs, req.tzOffset);
    const taskId = "7" + this.#rng.digits(18);
    let deliverAt: number | null = now + this.deliveryDelayMs;
    if (this.shuffleMs > 0) deliverAt += this.#rng.int(0, Math.round(this.shuffleMs));
    if (this.#slow.length > 0) deliverAt += this.#slow.shift()!;
    if (this.#drop > 0) {
      this.#drop--;
      deliverAt = null;
    }
    const task: ExportTask = {
      ...req,
      taskId,
      requestedAt: now,
      startDate,
      endDate,
      total,
      rows: Math.min(total, EXPORT_ROW_CAP),
      text: formatNoticeText(startDate, endDate, total),
      deliverAt,
      noticeMessageId: `om_${this.#rng.hex(32)}`,
      fileMessageId: `om_${this.#rng.hex(32)}`,
      fileKey: `file_v3_${this.#rng.hex(8)}-${this.#rng.hex(4)}-${this.#rng.hex(4)}-${this.#rng.hex(12)}`,
      fileName: `协同操作记录_${taskId}.xlsx`,
    };
    this.#tasks.push(task);
    return task;
  }

  /** Messages of `chatId` visible now (IM view: a notice and its file message per export), by time. */
  messages(chatId: string): ChatMessage[] {
    const now = this.#state.clock.now();
    const out = this.#static.filter((m) => m.chatId === chatId && m.createTime <= now);
    if (chatId === this.botChatId) {
      this.#tasks.forEach((t, i) => {
        if (t.deliverAt === null || t.deliverAt > now) return;
        const base = { chatId, createTime: t.deliverAt, senderName: BOT_NAME, fromBot: true, task: t };
        const msgType = this.options.noticeMsgType;
        out.push({ ...base, messageId: t.noticeMessageId, msgType, text: t.text, seq: 1e6 + 2 * i });
        out.push({
          ...base,
          messageId: t.fileMessageId,
          msgType: "file",
          text: t.fileName,
          parentId: t.noticeMessageId,
          seq: 1e6 + 2 * i + 1,
        });
      });
    }
    return out.sort((a, b) => a.createTime - b.createTime || a.seq - b.seq);
  }

  /** The chat with this id. */
  chat(chatId: string): SandboxChat | undefined {
    return this.chats.find((c) => c.chatId === chatId);
  }

  /** A visible message by id (any chat). */
  message(messageId: string): ChatMessage | undefined {
    for (const chat of this.chats) {
      const m = this.messages(chat.chatId).find((x) => x.messageId === messageId);
      if (m) return m;
    }
    return undefined;
  }

  /** The xlsx of a task (the last few are cached). */
  fileOf(task: ExportTask): Uint8Array<ArrayBuffer> {
    let bytes = this.#files.get(task.taskId);
    if (!bytes) {
      const rows = this.dataset.take(task.fromMs, task.toMs, EXPORT_ROW_CAP, task.keyword);
      bytes = buildExportXlsx(rows, task.tzOffset);
      this.#files.set(task.taskId, bytes);
      if (this.#files.size > 8) this.#files.delete(this.#files.keys().next().value!);
    }
    return bytes;
  }

  /** The next `n` deliveries arrive `extraMs` later than usual. */
  slowNext(n: number, extraMs: number): void {
    for (let i = 0; i < n; i++) this.#slow.push(extraMs);
  }

  /** The next `n` exports are never delivered (their message is lost). */
  dropNext(n: number): void {
    this.#drop += n;
  }

  /** Deliver every pending (not dropped) export now. Returns how many. */
  deliverNow(): number {
    const now = this.#state.clock.now();
    let n = 0;
    for (const t of this.#tasks) {
      if (t.deliverAt !== null && t.deliverAt > now) {
        t.deliverAt = now;
        n++;
      }
    }
    return n;
  }

  /** `true` when `token` is an accepted user access token. */
  isUserToken(token: string): boolean {
    return this.#userTokens.has(token);
  }

  /** Accept another user access token (e.g. one issued by another sandbox family's OAuth). */
  addUserToken(token: string): void {
    this.#userTokens.add(token);
  }

  /** Revoke every user access token (IM calls then answer 99991668). Returns how many. */
  revokeUserTokens(): number {
    const n = this.#userTokens.size;
    this.#userTokens.clear();
    return n;
  }

  /** Back to a fresh start: no tasks, no sessions, knobs and tokens as configured. */
  reset(): void {
    this.#tasks = [];
    this.#slow = [];
    this.#drop = 0;
    this.#files.clear();
    this.messenger.clear();
    this.deliveryDelayMs = this.options.deliveryDelayMs;
    this.shuffleMs = this.options.shuffleMs;
    this.#rng = forkPrng(this.options.seed, "export-tasks");
    this.#userTokens.clear();
    for (const t of this.options.userAccessTokens) this.#userTokens.add(t);
  }
}

/** The export family of `state`, created on first use. */
export function exportFamily(state: SandboxState): ExportFamily {
  let family = state.families.get(EXPORT_FAMILY_KEY) as ExportFamily | undefined;
  if (!family) {
    family = new ExportFamily(state);
    state.families.set(EXPORT_FAMILY_KEY, family);
    const created = family;
    state.onReset(() => created.reset());
  }
  return family;
}
