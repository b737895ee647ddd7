/** lib/bitable against the sandbox's Base records family: every call, its codes at HTTP 200, and its limits. */
import assert from "node:assert/strict";
import { BITABLE_RATE_BUCKETS, BitableClient, TableWriteQueue } from "../../lib/bitable/mod.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import { BadRequestError, LarkError, NotFoundError, RateLimitError } from "../../lib/errors/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { APP, TABLE, withBase } from "./_env.ts";

Deno.test("bitable: create, update, delete one record", async () => {
  await withBase(async ({ base, http }) => {
    const client = new BitableClient(http());
    const created = await client.createRecord(APP, TABLE, { 名称: "周报", 数量: 3 });
    assert.match(created.recordId, /^rec/);
    assert.deepEqual(created.fields, { 名称: "周报", 数量: 3 });
    const updated = await client.updateRecord(APP, TABLE, created.recordId, { 状态: "完成" });
    assert.deepEqual(updated.fields, { 名称: "周报", 数量: 3, 状态: "完成" });
    assert.deepEqual(base.table(APP, TABLE)!.records.get(created.recordId)!.fields.状态, "完成");
    assert.deepEqual(await client.deleteRecord(APP, TABLE, created.recordId), {
      recordId: created.recordId,
      deleted: true,
    });
    assert.equal(base.table(APP, TABLE)!.records.size, 0);
  });
});

Deno.test("bitable: codes at HTTP 200 are classified (field, record, table, Base not found)", async () => {
  await withBase(async ({ http }) => {
    const client = new BitableClient(http());
    await assert.rejects(client.createRecord(APP, TABLE, { 不存在: 1 }), (e) => {
      assert.ok(e instanceof BadRequestError);
      assert.equal(e.code, 1254045);
      assert.equal(e.httpStatus, 200);
      assert.match(e.hint, /字段名不存在/);
      assert.ok(e.logId);
      return true;
    });
    await assert.rejects(
      client.updateRecord(APP, TABLE, "recMissing1", { 名称: "x" }),
      (e) => e instanceof NotFoundError && e.code === 1254043,
    );
    await assert.rejects(
      client.createRecord(APP, "tblOther1", { 名称: "x" }),
      (e) => e instanceof NotFoundError && e.code === 1254041,
    );
    await assert.rejects(
      client.createRecord("appNope", TABLE, { 名称: "x" }),
      (e) => e instanceof NotFoundError && e.code === 1254040,
    );
  });
});

Deno.test("bitable: bad input is refused before any request, naming the field", async () => {
  await withBase(async ({ sandbox, http }) => {
    const client = new BitableClient(http());
    const cases: [() => Promise<unknown>, string][] = [
      [() => client.createRecord(APP, "tasks", { 名称: "x" }), "table_id"],
      [() => client.createRecord("a/b", TABLE, { 名称: "x" }), "app_token"],
      [() => client.createRecord(APP, TABLE, {}), "fields"],
      [() => client.updateRecord(APP, TABLE, "12", { 名称: "x" }), "record_id"],
      [() => client.batchCreate(APP, TABLE, [{ 名称: "a" }, [] as never]), "records[1].fields"],
      [() => client.batchDelete(APP, TABLE, ["recA1", "bad"]), "records[1]"],
      [
        () => client.batchUpdate(APP, TABLE, [{ recordId: "x", fields: { 名称: 1 } }]),
        "records[0].record_id",
      ],
      [() => client.searchRecords(APP, TABLE, { pageSize: 501 }).next(), "page_size"],
      [
        () =>
          client.searchRecords(APP, TABLE, {
            filter: { conditions: [{ fieldName: "名称", operator: "equals" as never, value: ["a"] }] },
          }).next(),
        "filter.conditions[0].operator",
      ],
      [
        () =>
          client.searchRecords(APP, TABLE, {
            filter: { conditions: [{ fieldName: "名称", operator: "in", value: Array(11).fill("a") }] },
          }).next(),
        "filter.conditions[0].value",
      ],
      [() => client.searchRecords(APP, TABLE, { fieldNames: Array(201).fill("名称") }).next(), "field_names"],
    ];
    for (const [call, field] of cases) {
      await assert.rejects(call, (e) => {
        assert.ok(e instanceof BadRequestError, String(e));
        assert.equal((e as BadRequestError & { field: string }).field, field);
        assert.ok(e.hint.includes(field));
        return true;
      });
    }
    assert.equal(sandbox.journal.filter().filter((e) => e.endpoint.startsWith("bitable_")).length, 0);
  });
});

Deno.test("bitable: search filters, sorts, projects and pages transparently", async () => {
  await withBase(async ({ http, calls }) => {
    const client = new BitableClient(http());
    await client.batchCreate(
      APP,
      TABLE,
      Array.from({ length: 7 }, (_, i) => ({ 名称: `任务${i}`, 数量: i, 状态: i % 2 ? "完成" : "进行中" })),
    );
    const seen = [];
    for await (
      const r of client.searchRecords(APP, TABLE, {
        filter: { conjunction: "and", conditions: [{ fieldName: "状态", operator: "is", value: ["完成"] }] },
        sort: [{ fieldName: "数量", desc: true }],
        fieldNames: ["名称"],
        pageSize: 2,
      })
    ) seen.push(r.fields);
    assert.deepEqual(seen, [{ 名称: "任务5" }, { 名称: "任务3" }, { 名称: "任务1" }]);
    assert.equal(calls("bitable_record_search"), 2);
    await assert.rejects(
      client.searchRecords(APP, TABLE, { fieldNames: ["无此字段"] }).next(),
      (e) => e instanceof BadRequestError && e.code === 1254045,
    );
  });
});

Deno.test("bitable: batches are chunked (1,000 / 500 per call) with per-chunk results", async () => {
  await withBase(async ({ base, http, calls }) => {
    const client = new BitableClient(http());
    const created = await client.batchCreate(
      APP,
      TABLE,
      Array.from({ length: 2500 }, (_, i) => ({ 数量: i })),
    );
    assert.deepEqual(created.chunks.map((c) => [c.from, c.to, c.items?.length]), [
      [0, 1000, 1000],
      [1000, 2000, 1000],
      [2000, 2500, 500],
    ]);
    assert.equal(created.failed.length, 0);
    assert.equal(calls("bitable_batch_create"), 3);
    assert.deepEqual(created.items.map((r) => r.fields.数量), Array.from({ length: 2500 }, (_, i) => i));

    const updated = await client.batchUpdate(
      APP,
      TABLE,
      created.items.slice(0, 1200).map((r) => ({ recordId: r.recordId, fields: { 状态: "完成" } })),
    );
    assert.equal(updated.items.length, 1200);
    assert.equal(calls("bitable_batch_update"), 2);

    const deleted = await client.batchDelete(APP, TABLE, created.items.slice(0, 1200).map((r) => r.recordId));
    assert.deepEqual(deleted.chunks.map((c) => c.items?.length), [500, 500, 200]);
    assert.ok(deleted.items.every((d) => d.deleted));
    assert.equal(base.table(APP, TABLE)!.records.size, 1300);
  });
});

Deno.test("bitable: a failed chunk is reported and the others still run (or stop on request)", async () => {
  await withBase(async ({ base, http }) => {
    const client = new BitableClient(http());
    const rows = Array.from({ length: 2100 }, (_, i) => (i === 1500 ? { 坏字段: 1 } : { 数量: i }));
    const result = await client.batchCreate(APP, TABLE, rows);
    assert.deepEqual(result.chunks.map((c) => c.error === undefined), [true, false, true]);
    assert.equal((result.failed[0].error as LarkError).code, 1254045);
    assert.equal(result.items.length, 1100);
    assert.equal(base.table(APP, TABLE)!.records.size, 1100);
    const stopped = await client.batchCreate(APP, TABLE, rows, { stopOnError: true });
    assert.equal(stopped.chunks.length, 2);
  });
});

Deno.test("bitable: write conflicts (1254291) are retried with backoff", async () => {
  await withBase(async ({ base, http }) => {
    const client = new BitableClient(http());
    base.injectConflicts(3);
    const result = await client.batchCreate(APP, TABLE, [{ 名称: "a" }]);
    assert.equal(result.failed.length, 0);
    assert.equal(result.chunks[0].attempts, 4);
    assert.equal(base.conflictsAnswered, 3);
    assert.equal(base.table(APP, TABLE)!.records.size, 1);

    base.injectConflicts(10);
    const few = new BitableClient(http(), { writeRetries: 2 });
    await assert.rejects(
      few.createRecord(APP, TABLE, { 名称: "b" }),
      (e) => e instanceof RateLimitError && e.code === 1254291 && /写冲突/.test(e.hint),
    );
  });
});

Deno.test("bitable: one write at a time per table; separate writers collide and are retried", async () => {
  await withBase(async ({ base, http }) => {
    base.writeHoldMs = 5;
    const client = new BitableClient(http());
    await Promise.all(Array.from({ length: 6 }, (_, i) => client.createRecord(APP, TABLE, { 数量: i })));
    assert.equal(base.conflictsAnswered, 0);
    assert.equal(client.queue.maxConcurrentPerTable, 1);

    // Two processes (no shared queue) on one table: the server refuses overlaps, the retries absorb them.
    const a = new BitableClient(http(), { queue: new TableWriteQueue(), writeRetries: 20 });
    const b = new BitableClient(http(), { queue: new TableWriteQueue(), writeRetries: 20 });
    await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => a.createRecord(APP, TABLE, { 数量: 100 + i })),
      ...Array.from({ length: 4 }, (_, i) => b.createRecord(APP, TABLE, { 数量: 200 + i })),
    ]);
    assert.ok(base.conflictsAnswered > 0, "the two writers collided");
    assert.equal(base.table(APP, TABLE)!.records.size, 14);
  });
});

Deno.test("bitable: search is held to its documented 20/s", async () => {
  const clock = new FakeClock(Date.parse("2026-01-05T10:00:00Z"));
  await withBase(async ({ http }) => {
    const client = new BitableClient(http({ retry: { retries: 0 } }));
    for (let i = 0; i < 20; i++) await client.searchRecords(APP, TABLE).next();
    await assert.rejects(
      client.searchRecords(APP, TABLE).next(),
      (e) => e instanceof RateLimitError && e.httpStatus === 429,
    );
  }, { clock });
});

Deno.test("bitable: a create's client_token makes a retried create idempotent", async () => {
  await withBase(async ({ base, url, authHeader }) => {
    const path =
      `/open-apis/bitable/v1/apps/${APP}/tables/${TABLE}/records?client_token=${crypto.randomUUID()}`;
    const post = () =>
      fetch(url + path, {
        method: "POST",
        headers: { ...authHeader, "content-type": "application/json" },
        body: JSON.stringify({ fields: { 名称: "一次" } }),
      }).then((r) => r.json());
    const first = await post();
    const again = await post();
    assert.equal(first.data.record.record_id, again.data.record.record_id);
    assert.equal(base.table(APP, TABLE)!.records.size, 1);
    const bad = await fetch(
      `${url}/open-apis/bitable/v1/apps/${APP}/tables/${TABLE}/records?client_token=x`,
      {
        method: "POST",
        headers: { ...authHeader, "content-type": "application/json" },
        body: JSON.stringify({ fields: { 名称: "x" } }),
      },
    );
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).code, 1254037);
  });
});

Deno.test("bitable: the core limiter with BITABLE_RATE_BUCKETS keeps searches under 20/s (no 429)", async () => {
  const clock = new FakeClock(Date.parse("2026-01-05T10:00:00Z"));
  await withBase(async ({ http, sandbox }) => {
    const limiter = new RateLimiter({ buckets: { ...BITABLE_RATE_BUCKETS }, clock });
    const client = new BitableClient(http({ limiter, clock, retry: { retries: 0 } }));
    let done = false;
    const all = Promise.all(Array.from({ length: 45 }, () => client.searchRecords(APP, TABLE).next()))
      .finally(() => (done = true));
    while (!done) {
      await clock.tick(25);
      await new Promise((r) => setTimeout(r, 0));
    }
    await all;
    const searches = sandbox.journal.filter("bitable_record_search");
    assert.equal(searches.length, 45);
    assert.equal(searches.filter((e) => e.status === 429).length, 0);
    assert.ok(
      clock.now() - Date.parse("2026-01-05T10:00:00Z") >= 2000,
      "45 searches at 20/s span 2 s of fake time",
    );
  }, { clock });
});

Deno.test("bitable sandbox: control endpoints seed tables and inject write conflicts", async () => {
  await withBase(async ({ url, base, http }) => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(url + path, { method: "POST", body: JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    };
    assert.equal(
      (await post("/__sandbox/bitable/tables", {
        app_token: "appCtl01",
        table_id: "tblCtl01",
        fields: ["名称"],
      })).status,
      200,
    );
    assert.equal(
      (await post("/__sandbox/bitable/tables", { app_token: "appCtl01", table_id: "x", fields: ["名称"] }))
        .status,
      400,
    );
    const listed = await (await fetch(`${url}/__sandbox/bitable/tables`)).json();
    assert.ok(listed.tables.some((t: { key: string }) => t.key === "appCtl01/tblCtl01"));
    assert.equal((await post("/__sandbox/bitable/writes", { conflicts: 2 })).status, 200);
    const r = await new BitableClient(http()).batchCreate("appCtl01", "tblCtl01", [{ 名称: "a" }]);
    assert.equal(r.chunks[0].attempts, 3);
    assert.equal(base.conflictsAnswered, 2);
  });
});
