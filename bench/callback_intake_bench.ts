/**
 * Card callback intake per second with each queue backend: signed
 * `card.action.trigger` callbacks (built exactly as the sandbox sends them)
 * posted to the core service's `/callback/card` at 32 at once; the service
 * verifies, checks the nonce and stores each on the queue before answering.
 * Baseline in the same run: `enqueue` alone (no HTTP, no verification).
 * Then the drain: workers run a no-op handler plus a card update that only
 * counts, giving handled callbacks per second. PostgreSQL and RabbitMQ run
 * on 127.0.0.1 when reachable (skipped otherwise).
 *
 * Usage: deno run -A bench/callback_intake_bench.ts [callbacks=2000]
 */
import { type CardJob, CardRouter, type CardUpdater, SqliteHandledLedger } from "../lib/callback/mod.ts";
import { serveGuarded } from "../lib/http/serve_guarded.ts";
import { type JobQueue, PostgresQueue, RabbitMqQueue, SqliteQueue } from "../lib/queue/mod.ts";
import { createCoreService } from "../pipelines/core/core_service.ts";
import { buildClick } from "../sandbox/card/click.ts";

const N = Number(Deno.args[0] ?? 2000);
const KEY = "bench-encrypt-key";
const TOKEN = "bench-verification-token";

async function up(port: number) {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function run(name: string, open: () => Promise<JobQueue<CardJob>>, cleanup: () => Promise<void>) {
  const dir = await Deno.makeTempDir();
  // Baseline: enqueue alone.
  const base = await open();
  let t0 = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async (_, w) => {
      for (let i = w; i < N; i += 32) {
        await base.enqueue({ eventId: `base${i}`, eventType: "card.action.trigger", event: {} }, {
          key: `base${i}`,
        });
      }
    }),
  );
  const enqueuePerSec = N / ((performance.now() - t0) / 1000);
  await base.close();
  await cleanup();

  const queue = await open();
  let updated = 0;
  const updater: CardUpdater = { update: () => (updated++, Promise.resolve()) };
  const router = new CardRouter().on("approve", () => Promise.resolve({ card: { schema: "2.0" } }));
  const service = createCoreService({
    queue,
    router,
    ledger: new SqliteHandledLedger(`${dir}/ledger.db`),
    updater,
    callback: { appId: "cli_bench0000", encryptKey: KEY, verificationToken: TOKEN },
    workers: false,
  });
  const server = serveGuarded({ hostname: "127.0.0.1", port: 0, maxConnections: 512 }, service.fetch);
  const url = `http://127.0.0.1:${server.addr.port}/callback/card`;
  const clicks = await Promise.all(Array.from({ length: N }, (_, i) =>
    buildClick({
      callback_url: url,
      app_id: "cli_bench0000",
      message_id: `om_${i}`,
      open_id: "ou_bench",
      action: { value: { action: "approve" } },
      encrypt_key: KEY,
      verification_token: TOKEN,
      encrypt: false,
    }, Date.now())));
  const lat: number[] = [];
  let refused = 0;
  t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < N) {
      const c = clicks[next++];
      const s = performance.now();
      const res = await fetch(url, { method: "POST", headers: c.headers, body: c.body });
      await res.body?.cancel();
      lat.push(performance.now() - s);
      if (res.status !== 200) refused++;
    }
  }));
  const intakeSec = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);

  // Drain with workers.
  const { startCardWorker } = await import("../lib/callback/card_worker.ts");
  t0 = performance.now();
  const worker = startCardWorker({
    queue,
    router,
    ledger: new SqliteHandledLedger(`${dir}/ledger2.db`),
    updater,
    concurrency: 16,
  });
  while (updated < N - refused && performance.now() - t0 < 120_000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const drainSec = (performance.now() - t0) / 1000;
  await worker.stop();
  await server.shutdown();
  await queue.close();
  await cleanup();
  await Deno.remove(dir, { recursive: true });
  console.log(
    `${name.padEnd(9)} enqueue-only ${enqueuePerSec.toFixed(0).padStart(6)}/s | intake ${
      (N / intakeSec).toFixed(0).padStart(5)
    }/s (p50 ${pct(lat, 0.5).toFixed(1)} ms, p99 ${
      pct(lat, 0.99).toFixed(1)
    } ms, refused ${refused}) | handled ${(updated / drainSec).toFixed(0).padStart(5)}/s (${updated}/${N})`,
  );
}

console.log(`${N} signed card.action.trigger callbacks, 32 concurrent clients, 16 workers`);
const dir = await Deno.makeTempDir();
let n = 0;
await run(
  "sqlite",
  () => Promise.resolve(new SqliteQueue<CardJob>(`${dir}/q${++n}.db`, { pollMs: 20 })),
  () => Promise.resolve(),
);
if (await up(5432)) {
  const schema = `bench_${crypto.randomUUID().slice(0, 8).replace(/-/g, "")}`;
  const url = "postgres://postgres@127.0.0.1:5432/postgres";
  await run(
    "postgres",
    () => PostgresQueue.open<CardJob>(url, { schema, pollMs: 20, maxConnections: 8 }),
    async () => {
      const q = await PostgresQueue.open(url, { schema });
      await q.dropSchema();
      await q.close();
    },
  );
} else console.log("postgres  skipped: 127.0.0.1:5432 not reachable");
if (await up(5672)) {
  const name = `bench_${crypto.randomUUID().slice(0, 8)}`;
  const url = "amqp://guest:guest@127.0.0.1:5672";
  await run("rabbitmq", () => RabbitMqQueue.open<CardJob>(url, { name }), async () => {
    const amqp = (await import("amqplib")).default;
    const c = await amqp.connect(url);
    const ch = await c.createChannel();
    for (const q of [name, `${name}.retry`, `${name}.dead`]) await ch.deleteQueue(q).catch(() => {});
    await c.close();
  });
} else console.log("rabbitmq  skipped: 127.0.0.1:5672 not reachable");
await Deno.remove(dir, { recursive: true });
