import assert from "node:assert/strict";
import { BrowserError } from "../../lib/browser/browser_error.ts";
import { buildXlsx } from "../../lib/excel/write_xlsx.ts";
import { FakeClock } from "../../lib/testing/fake_clock.ts";
import { collectStage, type CollectStageOptions } from "../../pipelines/export/collect.ts";
import type { Collector, ExportNotice } from "../../pipelines/export/collector.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { resolvePlanOptions } from "../../pipelines/export/plan.ts";

const T0 = Date.UTC(2024, 5, 1, 2, 0, 0);

function xlsx(n: number, tag = "x"): Uint8Array {
  const rows = Array.from({ length: n }, (_, i) => ({ 记录ID: `${tag}${i}`, 合同编号: `HT-${i}` }));
  return buildXlsx([{ name: "Sheet1", columns: ["记录ID", "合同编号"], rows }]);
}

/** An in-memory collector: notices appear when `visibleAt` ≤ clock time; files are bytes by message id. */
class MemoryCollector implements Collector {
  notices: (ExportNotice & { visibleAt?: number })[] = [];
  files = new Map<string, Uint8Array>();
  downloads: string[] = [];
  closed = 0;
  constructor(private clock: FakeClock) {}
  listNotices(since: number): Promise<ExportNotice[]> {
    return Promise.resolve(
      this.notices.filter((n) => n.sentAt >= since && (n.visibleAt ?? 0) <= this.clock.now()),
    );
  }
  async download(n: ExportNotice, dir: string): Promise<{ path: string; bytes: number }> {
    this.downloads.push(n.messageId);
    const bytes = this.files.get(n.messageId) ?? new TextEncoder().encode("not a workbook");
    const path = `${dir}/${n.messageId}.xlsx`;
    await Deno.writeFile(`${path}.part`, bytes);
    await Deno.rename(`${path}.part`, path);
    return { path, bytes: bytes.length };
  }
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

async function world() {
  const dir = await Deno.makeTempDir({ prefix: "export-collect-" });
  const clock = new FakeClock(T0);
  const ledger = ExportLedger.open(`${dir}/ledger.sqlite`, { clock });
  const collector = new MemoryCollector(clock);
  let created = 0;
  const opts = (extra: Partial<CollectStageOptions> = {}): CollectStageOptions => ({
    ledger,
    collector: () => {
      created++;
      return Promise.resolve(collector);
    },
    filesDir: `${dir}/windows`,
    downloadDir: `${dir}/downloads`,
    fileTemplate: "合同协同_{start:YYYYMMDD}-{end:YYYYMMDD}.xlsx",
    plan: resolvePlanOptions({ start: "2024-01-01", end: "2024-12-31", cap: 10, threshold: 10 }),
    pollIntervalMs: 5_000,
    deliveryTimeoutMs: 60_000,
    clock,
    ...extra,
  });
  const requested = (start: string, end: string, total: number | null, at = T0) => {
    const w = ledger.insert({ start, end });
    return ledger.update(w.id, {
      state: "requested",
      taskId: `t${w.id}`,
      requestedAt: at,
      declaredTotal: total,
    })!;
  };
  return {
    dir,
    clock,
    ledger,
    collector,
    opts,
    requested,
    created: () => created,
    close: async () => {
      ledger.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Run a stage on the fake clock: advance time whenever it sleeps, until it settles. */
async function drive<T>(clock: FakeClock, p: Promise<T>): Promise<T> {
  let done = false;
  const out = p.finally(() => done = true);
  while (!done) {
    await new Promise((r) => setTimeout(r, 2));
    if (clock.pending) await clock.tick(5_000);
  }
  return await out;
}

Deno.test("collect: notices without a range match by order and count; files renamed; a total from a notice splits", async () => {
  const w = await world();
  try {
    const a = w.requested("2024-01-01", "2024-01-07", 4, T0);
    const b = w.requested("2024-01-08", "2024-01-20", null, T0 + 1000);
    const c = w.requested("2024-01-21", "2024-01-31", null, T0 + 2000);
    w.collector.notices.push(
      { messageId: "m-b", text: "协同操作记录导出完成，共 12 条", sentAt: T0 + 3500 },
      { messageId: "m-a", text: "协同操作记录导出完成，共 4 条", sentAt: T0 + 3000 },
      { messageId: "m-c", text: "协同操作记录导出完成，共 6 条", sentAt: T0 + 4000 },
      { messageId: "m-other", text: "您有新的审批", sentAt: T0 + 4100 },
    );
    w.collector.files.set("m-a", xlsx(4));
    w.collector.files.set("m-c", xlsx(6));
    const res = await drive(w.clock, collectStage(w.opts()));
    assert.equal(res.delivered, 3);
    assert.equal(res.downloaded, 2);
    assert.equal(res.split, 1);
    assert.deepEqual(w.collector.downloads.sort(), ["m-a", "m-c"], "the split window's file is not fetched");
    const wa = w.ledger.get(a.id)!;
    assert.equal(wa.state, "downloaded");
    assert.equal(wa.noticeId, "m-a");
    assert.equal(wa.rowsInFile, 4);
    assert.match(wa.filePath!, /windows\/合同协同_20240101-20240107\.xlsx$/);
    assert.match(wa.sha256!, /^[0-9a-f]{64}$/);
    const wb = w.ledger.get(b.id)!;
    assert.equal(wb.state, "split");
    assert.equal(wb.declaredTotal, 12);
    assert.equal(w.ledger.get(c.id)!.declaredTotal, 6, "count taken from the message");
    assert.equal(w.collector.closed, 1);
  } finally {
    await w.close();
  }
});

Deno.test("collect: nothing waiting → no collector is started", async () => {
  const w = await world();
  try {
    const res = await collectStage(w.opts());
    assert.equal(w.created(), 0);
    assert.equal(res.delivered, 0);
  } finally {
    await w.close();
  }
});

Deno.test("collect: delivery timeout on the clock, then a later run picks the late notice up", async () => {
  const w = await world();
  try {
    const a = w.requested("2024-02-01", "2024-02-07", 3);
    const res = await drive(w.clock, collectStage(w.opts()));
    assert.equal(res.timedOut, 1);
    assert.ok(w.clock.now() - T0 >= 60_000, "waited the whole delivery timeout on the fake clock");
    let wa = w.ledger.get(a.id)!;
    assert.equal(wa.state, "failed");
    assert.equal(wa.reasonCode, "delivery_timeout");
    assert.match(wa.reason!, /未收到导出完成消息/);

    w.collector.notices.push({
      messageId: "late",
      text: "协同操作记录导出完成：2024-02-01 至 2024-02-07，共 3 条",
      sentAt: T0 + 61_000,
    });
    w.collector.files.set("late", xlsx(3));
    const again = await drive(w.clock, collectStage(w.opts()));
    assert.equal(again.downloaded, 1);
    wa = w.ledger.get(a.id)!;
    assert.equal(wa.state, "downloaded");
    assert.equal(wa.reasonCode, null, "the timeout is forgotten once the file is in");
  } finally {
    await w.close();
  }
});

Deno.test("collect: a file that never opens as xlsx is retried, then failed as bad_file", async () => {
  const w = await world();
  try {
    const a = w.requested("2024-03-01", "2024-03-07", 5);
    w.collector.notices.push({
      messageId: "bad",
      text: "导出完成：2024-03-01 至 2024-03-07，共 5 条",
      sentAt: T0 + 10,
    });
    const res = await drive(w.clock, collectStage(w.opts({ downloadAttempts: 3 })));
    assert.equal(res.badFiles, 1);
    assert.equal(w.collector.downloads.length, 3);
    const wa = w.ledger.get(a.id)!;
    assert.equal(wa.state, "failed");
    assert.equal(wa.reasonCode, "bad_file");
    assert.match(wa.reason!, /无法作为 xlsx 打开（已尝试 3 次）/);
    assert.deepEqual([...Deno.readDirSync(`${w.dir}/downloads`)], [], "broken downloads are removed");
  } finally {
    await w.close();
  }
});

Deno.test("collect: a collector failure (browser will not start) pauses instead of failing the window", async () => {
  const w = await world();
  try {
    const a = w.requested("2024-03-01", "2024-03-07", 5);
    w.collector.notices.push({
      messageId: "m1",
      text: "导出完成：2024-03-01 至 2024-03-07，共 5 条",
      sentAt: T0 + 10,
    });
    w.collector.download = () =>
      Promise.reject(
        new BrowserError("profile_in_use", "profile locked", { hint: "浏览器配置目录正被占用。" }),
      );
    const error = await drive(w.clock, collectStage(w.opts({ downloadAttempts: 3 })).catch((e) => e));
    assert.ok(error instanceof BrowserError && error.reason === "profile_in_use", String(error));
    const wa = w.ledger.get(a.id)!;
    assert.notEqual(wa.state, "failed", "the window keeps its place for the next run");
  } finally {
    await w.close();
  }
});

Deno.test("collect: a name taken by a different file gets a suffix; the same file keeps its name", async () => {
  const w = await world();
  try {
    await Deno.mkdir(`${w.dir}/windows`, { recursive: true });
    await Deno.writeFile(`${w.dir}/windows/合同协同_20240401-20240407.xlsx`, xlsx(1, "other"));
    await Deno.writeFile(`${w.dir}/windows/合同协同_20240408-20240414.xlsx`, xlsx(2, "same"));
    const a = w.requested("2024-04-01", "2024-04-07", 2);
    const b = w.requested("2024-04-08", "2024-04-14", 2);
    w.collector.notices.push(
      { messageId: "na", text: "导出完成：2024-04-01 至 2024-04-07，共 2 条", sentAt: T0 + 10 },
      { messageId: "nb", text: "导出完成：2024-04-08 至 2024-04-14，共 2 条", sentAt: T0 + 20 },
    );
    w.collector.files.set("na", xlsx(2, "new"));
    w.collector.files.set("nb", xlsx(2, "same"));
    await drive(w.clock, collectStage(w.opts()));
    assert.match(w.ledger.get(a.id)!.filePath!, /合同协同_20240401-20240407 \(2\)\.xlsx$/);
    assert.match(w.ledger.get(b.id)!.filePath!, /合同协同_20240408-20240414\.xlsx$/);
  } finally {
    await w.close();
  }
});
