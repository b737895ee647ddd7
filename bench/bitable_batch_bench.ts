/**
 * Base batch create of 10,000 records against the sandbox (documented limits
 * on: batch_create 50/s per app, one write per table at a time → 1254291).
 * Prints calls, time and write conflicts for:
 * - baseline: the 10 chunks of 1,000 sent concurrently without the per-table queue;
 * - queued: BitableClient (one write per table, chunks of 1,000);
 * - queued + a second writer: another process (its own queue) writing to the
 *   same table at the same time, each write holding the table 2 ms.
 * "Unhandled" = records missing at the end (a conflict not retried). No timed assertions.
 *
 * Run: deno run --allow-net=127.0.0.1 bench/bitable_batch_bench.ts
 */
import { staticAuth } from "../lib/auth/auth_provider.ts";
import { BitableClient, type Fields, TableWriteQueue } from "../lib/bitable/mod.ts";
import { LarkHttp } from "../lib/http/mod.ts";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../sandbox/mod.ts";
import { bitableFamily } from "../sandbox/bitable/store.ts";

const N = 10_000;
const APP = "appBench01";
const TABLE = "tblBench01";

const sandbox = createSandbox();
const server = await sandbox.listen({ port: 0 });
const url = server.url;
const base = bitableFamily(sandbox.state);

async function bearer(): Promise<string> {
  const res = await fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app_id: DEFAULT_APP_ID, app_secret: DEFAULT_APP_SECRET }),
  });
  return (await res.json()).tenant_access_token;
}
const auth = staticAuth("tenant:bench", { Authorization: `Bearer ${await bearer()}` });
const http = () => new LarkHttp({ baseUrl: url, auth, retry: { retries: 12, baseMs: 20, capMs: 1000 } });
const rows: Fields[] = Array.from({ length: N }, (_, i) => ({ 名称: `任务 ${i}`, 数量: i, 状态: "进行中" }));

function fresh(): void {
  base.reset();
  sandbox.journal.clear();
  sandbox.state.rateLimits.resetCounters();
  base.createTable(APP, TABLE, ["名称", "数量", "状态"]);
}

function report(name: string, t0: number, extra: Record<string, unknown>): void {
  const calls = sandbox.journal.filter("bitable_batch_create").length;
  const stored = base.table(APP, TABLE)!.records.size;
  const ms = performance.now() - t0;
  console.log(
    `${name.padEnd(26)} calls ${String(calls).padStart(4)}  time ${ms.toFixed(0).padStart(6)} ms  ` +
      `conflicts answered ${String(base.conflictsAnswered).padStart(3)}  stored ${stored}  ` +
      Object.entries(extra).map(([k, v]) => `${k} ${v}`).join("  "),
  );
}

// Baseline: chunks sent concurrently, each through its own queue (no serialisation).
fresh();
base.writeHoldMs = 2;
{
  const t0 = performance.now();
  const h = http();
  const parts = Array.from({ length: N / 1000 }, (_, i) => rows.slice(i * 1000, (i + 1) * 1000));
  const results = await Promise.all(
    parts.map((p) =>
      new BitableClient(h, { queue: new TableWriteQueue(), writeRetries: 12 }).batchCreate(APP, TABLE, p)
    ),
  );
  const failed = results.reduce((n, r) => n + r.failed.length, 0);
  report("baseline (concurrent)", t0, {
    "failed chunks": failed,
    throttled: h.throttledCount,
    retries: h.retryCount,
    unhandled: N - base.table(APP, TABLE)!.records.size,
  });
}

// Queued: one client, chunks one after another.
fresh();
base.writeHoldMs = 2;
{
  const t0 = performance.now();
  const h = http();
  const result = await new BitableClient(h).batchCreate(APP, TABLE, rows);
  report("queued", t0, {
    "failed chunks": result.failed.length,
    throttled: h.throttledCount,
    retries: h.retryCount,
    unhandled: N - result.items.length,
  });
}

// Queued while another process writes single records to the same table.
fresh();
base.writeHoldMs = 2;
{
  const t0 = performance.now();
  const h = http();
  const other = new BitableClient(http(), { queue: new TableWriteQueue(), writeRetries: 12 });
  let otherDone = 0;
  const foreign = (async () => {
    for (let i = 0; i < 30; i++) {
      await other.createRecord(APP, TABLE, { 名称: `外部 ${i}` });
      otherDone++;
    }
  })();
  const result = await new BitableClient(h).batchCreate(APP, TABLE, rows);
  await foreign;
  const retriedChunks = result.chunks.filter((c) => c.attempts > 1).length;
  report("queued + foreign writer", t0, {
    "failed chunks": result.failed.length,
    "chunks retried": retriedChunks,
    retries: h.retryCount,
    "foreign writes": otherDone,
    unhandled: N + 30 - base.table(APP, TABLE)!.records.size,
  });
}

await server.close();
