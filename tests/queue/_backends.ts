/**
 * Queue backends for the contract tests: the SQLite table always; PostgreSQL
 * and RabbitMQ on 127.0.0.1 when reachable. Outside CI an unreachable server
 * skips its tests with a clear message; in CI (`CI` set) it fails loudly.
 */
import { type JobQueue, PostgresQueue, RabbitMqQueue, SqliteQueue } from "../../lib/queue/mod.ts";

/** Broker URL used by the tests. */
export const AMQP_URL = Deno.env.get("FEISHU_TEST_AMQP_URL") ?? "amqp://guest:guest@127.0.0.1:5672";
/** PostgreSQL URL used by the tests. */
export const PG_URL = Deno.env.get("FEISHU_TEST_PG_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function reachable(port: number): Promise<boolean> {
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    c.close();
    return true;
  } catch {
    return false;
  }
}

/** Whether the server on `port` can be used; throws in CI when it cannot. */
export async function serverUp(name: string, port: number): Promise<boolean> {
  if (await reachable(port)) return true;
  if (Deno.env.get("CI")) {
    throw new Error(`${name} on 127.0.0.1:${port} is not reachable in CI (.ci/run starts it)`);
  }
  console.warn(`跳过：${name}（127.0.0.1:${port}）不可达；CI 中这会是失败。`);
  return false;
}

/**
 * Run `fn` while holding the shared RabbitMQ broker: test files run in
 * parallel, and the CI-only broker-restart test stops the broker for a few
 * seconds, so every RabbitMQ test holds this file lock shared and the restart
 * test holds it exclusive (an OS lock: released if the process dies).
 */
export async function withBroker<T>(fn: () => Promise<T>, o: { exclusive?: boolean } = {}): Promise<T> {
  const dir = Deno.env.get("TMPDIR") || "/tmp";
  const file = await Deno.open(`${dir}/feishu-kit-test-rabbitmq.lock`, { create: true, write: true });
  try {
    await file.lock(o.exclusive ?? false);
    return await fn();
  } finally {
    file.close();
  }
}

/**
 * Whether the shared RabbitMQ broker can be used (see {@linkcode serverUp}), probed under the
 * shared broker lock: a probe never runs while the broker-restart test has it stopped.
 */
export function brokerUp(): Promise<boolean> {
  return withBroker(() => serverUp("RabbitMQ", 5672));
}

/** A backend factory: a fresh, isolated queue per call. */
export interface Backend {
  name: "sqlite" | "postgres" | "rabbitmq";
  open<T>(o?: { maxAttempts?: number; retryDelayMs?: number; url?: string }): Promise<JobQueue<T>>;
  cleanup(): Promise<void>;
}

/** The SQLite backend in a temp dir. */
export function sqliteBackend(): Backend {
  const dir = Deno.makeTempDirSync();
  return {
    name: "sqlite",
    open: <T>(o: { maxAttempts?: number; retryDelayMs?: number } = {}) =>
      Promise.resolve(
        new SqliteQueue<T>(`${dir}/q.db`, { name: `q${crypto.randomUUID()}`, pollMs: 20, ...o }),
      ),
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

/** The PostgreSQL backend in its own schema (dropped at cleanup). */
export function postgresBackend(): Backend {
  const schema = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const opened: PostgresQueue<unknown>[] = [];
  return {
    name: "postgres",
    open: async <T>(o: { maxAttempts?: number; retryDelayMs?: number; url?: string } = {}) => {
      const q = await PostgresQueue.open<T>(o.url ?? PG_URL, { schema, pollMs: 20, ...o });
      opened.push(q as PostgresQueue<unknown>);
      return q;
    },
    cleanup: async () => {
      const q = await PostgresQueue.open(PG_URL, { schema });
      await q.dropSchema();
      await q.close();
    },
  };
}

/** The RabbitMQ backend on fresh queue names (deleted at cleanup). */
export function rabbitBackend(): Backend {
  const name = `t_${crypto.randomUUID().slice(0, 8)}`;
  return {
    name: "rabbitmq",
    open: <T>(o: { maxAttempts?: number; retryDelayMs?: number; url?: string } = {}) =>
      RabbitMqQueue.open<T>(o.url ?? AMQP_URL, { name, ...o }),
    cleanup: () => deleteRabbitQueues(name),
  };
}

/** Delete the RabbitMQ queues of `name` (main, `.retry`, `.dead`). */
export async function deleteRabbitQueues(name: string): Promise<void> {
  const amqp = (await import("amqplib")).default;
  const c = await amqp.connect(AMQP_URL);
  const ch = await c.createChannel();
  for (const q of [name, `${name}.retry`, `${name}.dead`]) await ch.deleteQueue(q).catch(() => {});
  await c.close();
}

/**
 * Resolve once `queue` holds nothing ready or in flight: every job enqueued so far has been
 * through a consumer (the definite signal a test waits for, instead of sleeping).
 */
export async function queueDrained(
  queue: Pick<JobQueue<unknown>, "stats">,
  timeoutMs = 10_000,
): Promise<void> {
  await waitFor(
    async () => {
      const s = await queue.stats();
      return s.ready === 0 && s.inflight === 0;
    },
    timeoutMs,
    "the queue drained",
  );
}

/** Resolve once `cond()` holds (polled), or throw after `timeoutMs`. */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = "condition",
) {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
