import { Buffer } from "node:buffer";
import amqp from "amqplib";
import { type Logger, silentLogger } from "../log/logger.ts";
import { errorText } from "./_table_consumer.ts";
import {
  type ConsumeOptions,
  type DeadLetter,
  type JobHandler,
  type JobQueue,
  type QueueConsumer,
  type QueueOptions,
  type QueueStats,
  retryDelay,
} from "./job_queue.ts";
import { QueueUnavailableError } from "./queue_error.ts";

/** Options of {@linkcode RabbitMqQueue}. */
export interface RabbitMqQueueOptions extends QueueOptions {
  /** Time for a publisher confirm, ms (default 2000; then the enqueue fails as unavailable). */
  confirmTimeoutMs?: number;
  /** Delay between reconnect attempts, ms (default 250, doubled up to 5000). */
  reconnectMs?: number;
  /** Logger (connection drops, reconnects). */
  logger?: Logger;
}

type Model = Awaited<ReturnType<typeof amqp.connect>>;
type ConfirmChannel = Awaited<ReturnType<Model["createConfirmChannel"]>>;
type Channel = Awaited<ReturnType<Model["createChannel"]>>;
type Message = import("amqplib").Message;

interface Sub {
  handler: JobHandler<unknown>;
  prefetch: number;
  channel?: Channel;
  inflight: Set<Promise<void>>;
  stopped: boolean;
}

/**
 * The queue on RabbitMQ (AMQP 0-9-1, `amqplib`), for users who run many
 * instances and already run a broker: a durable queue with persistent
 * messages and publisher confirms (`enqueue` resolves once the broker
 * confirmed), manual acks after the handler finished, retries through a
 * `<name>.retry` queue whose per-message TTL dead-letters back into the main
 * queue, and `<name>.dead` after `maxAttempts`. A dropped connection is
 * re-established in the background; unacked jobs are redelivered by the
 * broker (at least once: handlers de-duplicate by `key`, sent as the AMQP
 * `messageId`). While disconnected `enqueue` fails fast with
 * {@linkcode QueueUnavailableError}.
 *
 * @example
 * ```ts
 * const q = await RabbitMqQueue.open("amqp://guest:guest@127.0.0.1:5672", { name: "card_callbacks" });
 * await q.enqueue({ n: 1 }, { key: "evt_1" });
 * ```
 */
export class RabbitMqQueue<T = unknown> implements JobQueue<T> {
  /** Backend name. */
  readonly backend = "rabbitmq" as const;
  readonly #url: string;
  readonly #name: string;
  readonly #o: Required<Omit<RabbitMqQueueOptions, "name" | "logger">>;
  readonly #log: Logger;
  readonly #subs = new Set<Sub>();
  #model?: Model;
  #pub?: ConfirmChannel;
  #closed = false;
  #connecting?: Promise<void>;
  #reconnects = 0;

  private constructor(url: string, options: RabbitMqQueueOptions) {
    this.#url = url;
    this.#name = options.name ?? "callbacks";
    this.#o = {
      maxAttempts: options.maxAttempts ?? 5,
      retryDelayMs: options.retryDelayMs ?? 1000,
      confirmTimeoutMs: options.confirmTimeoutMs ?? 2000,
      reconnectMs: options.reconnectMs ?? 250,
    };
    this.#log = options.logger ?? silentLogger;
  }

  /** Connect and declare the queues; throws {@linkcode QueueUnavailableError} when the broker is unreachable. */
  static async open<T = unknown>(url: string, options: RabbitMqQueueOptions = {}): Promise<RabbitMqQueue<T>> {
    const q = new RabbitMqQueue<T>(url, options);
    await q.#connect();
    return q;
  }

  /** Times the connection was re-established. */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** Whether a connection is up right now. */
  get connected(): boolean {
    return !!this.#pub;
  }

  /** Publish persistently and wait for the broker's confirm. */
  async enqueue(payload: T, options: { key?: string } = {}): Promise<boolean> {
    await this.#publish(this.#name, payload, { key: options.key, attempts: 0 });
    return true;
  }

  /** Start a consumer (prefetch = `concurrency`, manual acks). */
  consume(handler: JobHandler<T>, options: ConsumeOptions = {}): QueueConsumer {
    const sub: Sub = {
      handler: handler as JobHandler<unknown>,
      prefetch: Math.max(1, options.concurrency ?? 8),
      inflight: new Set(),
      stopped: false,
    };
    this.#subs.add(sub);
    if (this.#model) this.#attach(sub).catch((e) => this.#log.warn("amqp.consume_failed", { error: e }));
    const stop = async () => {
      if (sub.stopped) return;
      sub.stopped = true;
      this.#subs.delete(sub);
      await Promise.allSettled(sub.inflight);
      try {
        await sub.channel?.close();
      } catch { /* already closed */ }
    };
    options.signal?.addEventListener("abort", () => void stop(), { once: true });
    return { stop };
  }

  /** Ready and dead counts from the broker; in-flight counted locally. */
  async stats(): Promise<QueueStats> {
    const ch = await this.#tempChannel();
    try {
      const main = await ch.checkQueue(this.#name);
      const retry = await ch.checkQueue(`${this.#name}.retry`);
      const dead = await ch.checkQueue(`${this.#name}.dead`);
      let inflight = 0;
      for (const s of this.#subs) inflight += s.inflight.size;
      return { ready: main.messageCount + retry.messageCount, inflight, dead: dead.messageCount };
    } finally {
      await ch.close().catch(() => {});
    }
  }

  /** Peek at dead-lettered jobs (they stay in `<name>.dead`). */
  async deadLetters(limit = 100): Promise<DeadLetter<T>[]> {
    const ch = await this.#tempChannel();
    const out: DeadLetter<T>[] = [];
    try {
      for (let i = 0; i < limit; i++) {
        const m = await ch.get(`${this.#name}.dead`, { noAck: false });
        if (!m) break;
        const h = m.properties.headers ?? {};
        out.push({
          id: String(m.properties.messageId ?? m.fields.deliveryTag),
          key: m.properties.messageId || undefined,
          payload: JSON.parse(m.content.toString("utf8")) as T,
          attempts: Number(h["x-attempts"] ?? 0),
          lastError: typeof h["x-last-error"] === "string" ? h["x-last-error"] : undefined,
        });
      }
    } finally {
      await ch.close().catch(() => {}); // unacked gets requeued
    }
    return out;
  }

  /** Resolves while connected. */
  ping(): Promise<void> {
    if (this.#pub) return Promise.resolve();
    return Promise.reject(new QueueUnavailableError("rabbitmq", "not connected to the broker"));
  }

  /** Stop consumers and close the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#subs].map(async (s) => {
      s.stopped = true;
      await Promise.allSettled(s.inflight);
    }));
    this.#subs.clear();
    try {
      await this.#model?.close();
    } catch { /* already closed */ }
    this.#model = undefined;
    this.#pub = undefined;
  }

  async #connect(): Promise<void> {
    let model: Model;
    try {
      model = await amqp.connect(this.#url, { timeout: 3000 });
    } catch (e) {
      throw new QueueUnavailableError("rabbitmq", `cannot connect: ${errorText(e)}`, { cause: e });
    }
    try {
      const pub = await model.createConfirmChannel();
      await pub.assertQueue(this.#name, { durable: true });
      await pub.assertQueue(`${this.#name}.dead`, { durable: true });
      await pub.assertQueue(`${this.#name}.retry`, {
        durable: true,
        arguments: { "x-dead-letter-exchange": "", "x-dead-letter-routing-key": this.#name },
      });
      model.on("error", (e: unknown) => this.#log.warn("amqp.connection_error", { error: errorText(e) }));
      model.on("close", () => this.#onDrop(model));
      pub.on("error", (e: unknown) => this.#log.warn("amqp.channel_error", { error: errorText(e) }));
      pub.on("close", () => {
        if (this.#pub === pub) this.#pub = undefined;
        // A closed publishing channel on a live connection: drop the connection to rebuild everything.
        if (this.#model === model) model.close().catch(() => {});
      });
      this.#model = model;
      this.#pub = pub;
    } catch (e) {
      await model.close().catch(() => {});
      throw new QueueUnavailableError("rabbitmq", `cannot declare queues: ${errorText(e)}`, { cause: e });
    }
    for (const sub of this.#subs) await this.#attach(sub);
  }

  #onDrop(model: Model): void {
    if (this.#model !== model) return;
    this.#model = undefined;
    this.#pub = undefined;
    for (const s of this.#subs) s.channel = undefined;
    if (this.#closed) return;
    this.#log.warn("amqp.disconnected", {});
    this.#connecting ??= (async () => {
      let wait = this.#o.reconnectMs;
      while (!this.#closed) {
        try {
          await this.#connect();
          this.#reconnects++;
          this.#log.info("amqp.reconnected", { reconnects: this.#reconnects });
          return;
        } catch {
          await new Promise((r) => setTimeout(r, wait));
          wait = Math.min(5000, wait * 2);
        }
      }
    })().finally(() => this.#connecting = undefined);
  }

  async #attach(sub: Sub): Promise<void> {
    if (sub.stopped || !this.#model) return;
    const ch = await this.#model.createChannel();
    ch.on("error", () => {});
    await ch.prefetch(sub.prefetch);
    sub.channel = ch;
    await ch.consume(this.#name, (m: Message | null) => {
      if (!m || sub.stopped) return;
      const p = this.#handle(sub, ch, m).finally(() => sub.inflight.delete(p));
      sub.inflight.add(p);
    }, { noAck: false });
  }

  async #handle(sub: Sub, ch: Channel, m: Message): Promise<void> {
    const headers = m.properties.headers ?? {};
    const attempts = Number(headers["x-attempts"] ?? 0) + 1;
    const key = m.properties.messageId || undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(m.content.toString("utf8"));
    } catch (e) {
      await this.#settle(ch, m, `${this.#name}.dead`, m.content, key, attempts, e);
      return;
    }
    try {
      await sub.handler({ id: String(key ?? m.fields.deliveryTag), key, payload, attempts });
    } catch (e) {
      const dead = attempts >= this.#o.maxAttempts;
      await this.#settle(
        ch,
        m,
        dead ? `${this.#name}.dead` : `${this.#name}.retry`,
        payload,
        key,
        attempts,
        e,
      );
      return;
    }
    try {
      ch.ack(m);
    } catch { /* channel gone: the broker redelivers, the handler de-duplicates */ }
  }

  /** Move a failed message on (retry or dead queue) and only then ack the original. */
  async #settle(
    ch: Channel,
    m: Message,
    queue: string,
    payload: unknown,
    key: string | undefined,
    attempts: number,
    error: unknown,
  ): Promise<void> {
    try {
      const delay = queue.endsWith(".retry") ? retryDelay(attempts, this.#o.retryDelayMs) : undefined;
      await this.#publish(queue, payload, { key, attempts, error, expiration: delay });
      ch.ack(m);
    } catch {
      // Could not move it: leave it unacked so the broker redelivers it.
      try {
        ch.nack(m, false, true);
      } catch { /* channel gone */ }
    }
  }

  async #publish(
    queue: string,
    payload: unknown,
    o: { key?: string; attempts: number; error?: unknown; expiration?: number },
  ): Promise<void> {
    const pub = this.#pub;
    if (!pub) throw new QueueUnavailableError("rabbitmq", "not connected to the broker");
    const content = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload), "utf8");
    const headers: Record<string, unknown> = { "x-attempts": o.attempts };
    if (o.error !== undefined) headers["x-last-error"] = errorText(o.error);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new QueueUnavailableError("rabbitmq", "publisher confirm timed out")),
        this.#o.confirmTimeoutMs,
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

  async #tempChannel(): Promise<Channel> {
    if (!this.#model) throw new QueueUnavailableError("rabbitmq", "not connected to the broker");
    try {
      const ch = await this.#model.createChannel();
      ch.on("error", () => {});
      return ch;
    } catch (e) {
      throw new QueueUnavailableError("rabbitmq", `cannot open a channel: ${errorText(e)}`, { cause: e });
    }
  }
}
