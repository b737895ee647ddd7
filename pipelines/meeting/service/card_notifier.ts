import { card, cardHeader, divider, escapeMarkdown, markdown, note } from "../../../lib/im/card.ts";
import type { MessageApi, ReceiveIdType } from "../../../lib/im/message_api.ts";
import { authRequiredCard, successCard } from "../../../lib/im/notify_cards.ts";
import type { MeetingJob } from "../job.ts";
import type { DistributedPath } from "../nas.ts";
import { formatStamp } from "../naming.ts";
import type { Notifier } from "../ports.ts";

/** Options of {@linkcode CardNotifier}. */
export interface CardNotifierOptions {
  /** IM client authenticated with the app's tenant token: the app's bot sends. */
  messages: Pick<MessageApi, "sendCard">;
  /** Where the red card's 「授权开启」 button points: `{server.public_base_url}/auth/start`. */
  authStartUrl: string;
  /** Time zone of the meeting time shown on cards (default `Asia/Shanghai`). */
  timeZone?: string;
}

/**
 * {@linkcode Notifier} over `lib/im`: cards from the app's bot to the meeting
 * owner. The recipient is the owner's `open_id` from the event
 * (`receive_id_type=open_id`), or the job's tenant `user_id`
 * (`receive_id_type=user_id`) when the event carried no open id. Each card has
 * an idempotency `uuid` (Feishu de-duplicates for 1 h), so a retried step
 * never sends the same card twice.
 *
 * - success: green card with the file name and every path written;
 * - authorization required: red card with a button to `/auth/start`;
 * - failed: orange card with the reason (a job given up for good).
 *
 * @example
 * ```ts
 * import type { MeetingClients } from "./meeting_clients.ts";
 *
 * declare const clients: MeetingClients;
 * const notifier = new CardNotifier({
 *   messages: clients.messages, // the app's tenant token: its bot sends
 *   authStartUrl: "https://archiver.example.com/auth/start",
 *   timeZone: "Asia/Shanghai",
 * });
 * ```
 */
export class CardNotifier implements Notifier {
  #o: CardNotifierOptions;

  /** Create the notifier. */
  constructor(options: CardNotifierOptions) {
    this.#o = options;
  }

  /** See {@linkcode Notifier.success}. */
  async success(job: MeetingJob, paths: readonly DistributedPath[], signal?: AbortSignal): Promise<void> {
    const c = successCard({
      fileName: job.fileName,
      paths: paths.map((p) => p.path),
      meetingTopic: job.topic || undefined,
      meetingTime: this.#time(job),
    });
    await this.#send(job, c, `meeting-done-${job.id}`, signal);
  }

  /** See {@linkcode Notifier.authorizationRequired}. */
  async authorizationRequired(job: MeetingJob, reason: string, signal?: AbortSignal): Promise<void> {
    const c = authRequiredCard({
      reason,
      authUrl: this.#o.authStartUrl,
      meetingTopic: job.topic || undefined,
    });
    // One red card per waiting spell: the job's last change marks the spell.
    await this.#send(job, c, `meeting-auth-${job.id}-${job.updatedAt}`, signal);
  }

  /** See {@linkcode Notifier.failed}. */
  async failed(job: MeetingJob, reason: string, signal?: AbortSignal): Promise<void> {
    const lines = [];
    if (job.topic) lines.push(`**会议**：${escapeMarkdown(job.topic)}`);
    const time = this.#time(job);
    if (time) lines.push(`**时间**：${escapeMarkdown(time)}`);
    lines.push(`**原因**：${escapeMarkdown(reason)}`);
    const c = card(cardHeader("会议录制归档失败", "orange"), [
      markdown(lines.join("\n")),
      divider(),
      note("可在归档服务的状态页查看详情并重试。"),
    ]);
    await this.#send(job, c, `meeting-failed-${job.id}-${job.updatedAt}`, signal);
  }

  async #send(job: MeetingJob, content: object, uuid: string, signal?: AbortSignal): Promise<void> {
    const [type, id] = recipientOf(job);
    await this.#o.messages.sendCard(type, id, content, {
      uuid: uuid.slice(0, 50),
      signal,
      ids: { job_id: job.id, meeting_id: job.meetingId },
    });
  }

  #time(job: MeetingJob): string | undefined {
    try {
      const s = formatStamp(job.startTime, this.#o.timeZone ?? "Asia/Shanghai");
      return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)} ${s.slice(9, 11)}:${s.slice(11, 13)}`;
    } catch {
      return undefined;
    }
  }
}

/** The owner's open id from the event, else the job's tenant user id. */
function recipientOf(job: MeetingJob): [ReceiveIdType, string] {
  const openId = job.ownerIds.open_id;
  return openId ? ["open_id", openId] : ["user_id", job.userId];
}
