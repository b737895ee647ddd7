import amqp from "amqplib";
import { type Logger, silentLogger } from "../log/logger.ts";
import { errorText } from "./_table_consumer.ts";
import {
  type Channel,
  type ConfirmChannel,
  deadLetterFromMessage,
  type Message,
  type Model,
  publishConfirmed,
  type PublishOptions,
} from "./_amqp_messages.ts";
import { type Delivery, handleDelivery, type Sub } from "./_amqp_delivery.ts";
import type {
  ConsumeOptions,
  DeadLetter,
  JobHandler,
  JobQueue,
  QueueConsumer,
  QueueOptions,
  QueueStats,
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
  readonly #delivery: Delivery;

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
    this.#delivery = {
      name: this.#name,
      retry: this.#o,
      publish: (queue, payload, o) => this.#publish(queue, payload, o),
    };
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
        out.push(deadLetterFromMessage<T>(m));
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
      const p = handleDelivery(this.#delivery, sub, ch, m).finally(() => sub.inflight.delete(p));
      sub.inflight.add(p);
    }, { noAck: false });
  }

  async #publish(queue: string, payload: unknown, o: PublishOptions): Promise<void> {
    const pub = this.#pub;
    if (!pub) throw new QueueUnavailableError("rabbitmq", "not connected to the broker");
    await publishConfirmed(pub, queue, payload, o, this.#o.confirmTimeoutMs);
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
