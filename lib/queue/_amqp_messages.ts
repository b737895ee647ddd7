import { Buffer } from "node:buffer";
import type amqp from "amqplib";
import { errorText } from "./_table_consumer.ts";
import type { DeadLetter } from "./job_queue.ts";
import { QueueUnavailableError } from "./queue_error.ts";

/** An AMQP connection. */
export type Model = Awaited<ReturnType<typeof amqp.connect>>;
/** A channel with publisher confirms. */
export type ConfirmChannel = Awaited<ReturnType<Model["createConfirmChannel"]>>;
/** A plain channel. */
export type Channel = Awaited<ReturnType<Model["createChannel"]>>;
/** A delivered message. */
export type Message = import("amqplib").Message;

/** How a job travels: the `key` as the AMQP `messageId`, attempts and last error as headers. */
export interface PublishOptions {
  key?: string;
  attempts: number;
  error?: unknown;
  /** Per-message TTL in ms (the retry queue dead-letters it back to the main queue). */
  expiration?: number;
}

/** Attempts made before this delivery (header `x-attempts`). */
export function attemptsSoFar(m: Message): number {
  return Number((m.properties.headers ?? {})["x-attempts"] ?? 0);
}

/** The job's de-duplication key (the AMQP `messageId`). */
export function messageKey(m: Message): string | undefined {
  return m.properties.messageId || undefined;
}

/** A dead letter from a message of `<name>.dead`. */
export function deadLetterFromMessage<T>(m: Message): DeadLetter<T> {
  const h = m.properties.headers ?? {};
  return {
    id: String(m.properties.messageId ?? m.fields.deliveryTag),
    key: messageKey(m),
    payload: JSON.parse(m.content.toString("utf8")) as T,
    attempts: attemptsSoFar(m),
    lastError: typeof h["x-last-error"] === "string" ? h["x-last-error"] : undefined,
  };
}

/**
 * Publish persistently to `queue` and wait for the broker's confirm (at most
 * `confirmTimeoutMs`); every failure is a {@linkcode QueueUnavailableError}. A `Buffer`
 * payload (a message that did not parse) is sent as it is.
 */
export async function publishConfirmed(
  pub: ConfirmChannel,
  queue: string,
  payload: unknown,
  o: PublishOptions,
  confirmTimeoutMs: number,
): Promise<void> {
  const content = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload), "utf8");
  const headers: Record<string, unknown> = { "x-attempts": o.attempts };
  if (o.error !== undefined) headers["x-last-error"] = errorText(o.error);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new QueueUnavailableError("rabbitmq", "publisher confirm timed out")),
      confirmTimeoutMs,
    );
    try {
      pub.sendToQueue(queue, content, {
        persistent: true,
        contentType: "application/json",
        messageId: o.key,
        headers,
        ...(o.expiration !== undefined ? { expiration: String(o.expiration) } : {}),
      }, (err: unknown) => {
        clearTimeout(timer);
        if (err) reject(new QueueUnavailableError("rabbitmq", `broker refused: ${errorText(err)}`));
        else resolve();
      });
    } catch (e) {
      clearTimeout(timer);
      reject(new QueueUnavailableError("rabbitmq", `publish failed: ${errorText(e)}`, { cause: e }));
    }
  });
}
