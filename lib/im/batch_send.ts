/**
 * Send one message to many recipients with a result per recipient. Each
 * send goes through {@linkcode MessageApi.send}, so Feishu's 5 QPS per
 * recipient and the app's 50/s (`im_send` bucket) are respected, and carries
 * a `uuid` derived from the batch id and the recipient: running the same
 * batch again within Feishu's 1 h de-duplication window sends nothing twice.
 *
 * @module
 */
import { sha256Hex } from "../encoding/sha256_hex.ts";
import { LarkError } from "../errors/lark_error.ts";
import { ImFieldError } from "./im_field_error.ts";
import type { MessageApi } from "./message_api.ts";
import type { MsgType, ReceiveIdType, SentMessage } from "./message_types.ts";
import { checkRecipient, contentString } from "./_validate.ts";

/** One recipient of a batch. */
export interface BatchRecipient {
  /** How `receiveId` is to be read. */
  receiveIdType: ReceiveIdType;
  /** Recipient id. */
  receiveId: string;
}

/** Outcome for one recipient. */
export type BatchSendResult =
  & BatchRecipient
  & ({ ok: true; message: SentMessage; uuid: string } | { ok: false; error: LarkError; uuid: string });

/** Options of {@linkcode batchSend}. */
export interface BatchSendOptions {
  /** Names the batch (1–17 characters); the same id re-sends idempotently. Default a random id. */
  batchId?: string;
  /** Sends in flight at once (default 10). */
  concurrency?: number;
  /** Cancel the remaining sends. */
  signal?: AbortSignal;
  /** Called after each recipient's result (progress). */
  onResult?: (r: BatchSendResult) => void;
}

async function uuidFor(batchId: string, r: BatchRecipient): Promise<string> {
  const hex = (await sha256Hex(`${r.receiveIdType}:${r.receiveId}`)).slice(0, 32);
  return `${batchId}-${hex}`; // ≤ 17 + 1 + 32 = 50 characters
}

/**
 * Send `content` of `msgType` to every recipient; never throws for one
 * recipient's failure (its result holds the typed error). Input is checked
 * for every recipient before the first request.
 *
 * @example
 * ```ts
 * import type { MessageApi } from "./message_api.ts";
 *
 * declare const im: MessageApi, users: string[];
 * const results = await batchSend(im, users.map((u) => ({ receiveIdType: "open_id", receiveId: u })), "text", { text: "放假通知" }, { batchId: "holiday-0501" });
 * const failed = results.filter((r) => !r.ok);
 * ```
 */
export async function batchSend(
  im: MessageApi,
  recipients: readonly BatchRecipient[],
  msgType: MsgType,
  content: string | object,
  options: BatchSendOptions = {},
): Promise<BatchSendResult[]> {
  const batchId = options.batchId ?? crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  if (!/^[0-9A-Za-z_.-]{1,17}$/.test(batchId)) {
    throw new ImFieldError(
      "batchId",
      "batchId must be 1–17 of [0-9A-Za-z_.-]",
      "batchId 须为 1 到 17 个字母、数字或 _ . -。",
    );
  }
  if (!recipients.length) throw new ImFieldError("recipients", "no recipients", "至少需要一个接收者。");
  recipients.forEach((r, i) => checkRecipient(r.receiveIdType, r.receiveId, `recipients[${i}].receiveId`));
  contentString(msgType, content);
  const results: BatchSendResult[] = new Array(recipients.length);
  let next = 0;
  const worker = async () => {
    while (next < recipients.length) {
      options.signal?.throwIfAborted();
      const i = next++;
      const r = recipients[i];
      const uuid = await uuidFor(batchId, r);
      let result: BatchSendResult;
      try {
        const message = await im.send({ ...r, msgType, content, uuid }, {
          signal: options.signal,
          ids: { batch_id: batchId },
        });
        result = { ...r, ok: true, message, uuid };
      } catch (e) {
        if (options.signal?.aborted) throw e;
        const error = e instanceof LarkError ? e : new LarkError(String(e), { cause: e });
        result = { ...r, ok: false, error, uuid };
      }
      results[i] = result;
      options.onResult?.(result);
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 10, recipients.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
