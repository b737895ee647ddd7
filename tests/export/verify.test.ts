import assert from "node:assert/strict";
import { buildXlsx } from "../../lib/excel/write_xlsx.ts";
import { sha256Hex } from "../../lib/encoding/sha256_hex.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { type VerifyReport, verifyRun } from "../../pipelines/export/verify.ts";

const COLS = ["记录ID", "合同编号", "操作时间"];
const RANGE = { start: "2022-01-01", end: "2022-01-11" };
const CAP = 3;

interface Fixture {
  dir: string;
  ledger: ExportLedger;
  ids: number[];
  close(): Promise<void>;
}

/** Three windows covering the range (cap 3): 3 rows, 2 rows, a day over the cap (5 declared, 3 in file). */
async function fixture(
  mutate: {
    columns?: string[][];
    rows?: Record<string, unknown>[][];
    declared?: number[];
    ranges?: [string, string][];
  } = {},
): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "export-verify-" });
  const ledger = ExportLedger.open(`${dir}/ledger.sqlite`);
  const ranges = mutate.ranges ??
    [["2022-01-01", "2022-01-07"], ["2022-01-08", "2022-01-10"], ["2022-01-11", "2022-01-11"]];
  const declared = mutate.declared ?? [3, 2, 5];
  const counts = [3, 2, 3];
  const ids: number[] = [];
  let n = 0;
  for (let i = 0; i < ranges.length; i++) {
    const [start, end] = ranges[i];
    const rows = mutate.rows?.[i] ??
      Array.from(
        { length: counts[i] },
        () => ({ 记录ID: `R${++n}`, 合同编号: `HT-${n}`, 操作时间: new Date(`${start}T10:00:00Z`) }),
      );
    const path = `${dir}/w${i}.xlsx`;
    const bytes = buildXlsx([{ name: "Sheet1", columns: mutate.columns?.[i] ?? COLS, rows }]);
    await Deno.writeFile(path, bytes);
    const w = ledger.insert({ start, end });
    const overcap = declared[i] > CAP;
    ledger.update(w.id, {
      state: overcap ? "failed" : "downloaded",
      reasonCode: overcap ? "overcap" : null,
      reason: overcap ? `单日超过 ${CAP} 条（共 ${declared[i]} 条），无法按日期拆分` : null,
      declaredTotal: declared[i],
      requestedAt: 1,
      filePath: path,
      rowsInFile: rows.length,
      sha256: await sha256Hex(bytes),
    });
    ids.push(w.id);
  }
  return {
    dir,
    ledger,
    ids,
    close: async () => {
      ledger.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function run(f: Fixture, extra: Partial<Parameters<typeof verifyRun>[0]> = {}) {
  return verifyRun({
    ledger: f.ledger,
    range: RANGE,
    cap: CAP,
    requiredColumns: ["记录ID"],
    outDir: f.dir,
    ...extra,
  });
}

function check(r: VerifyReport, id: string) {
  return r.checks.find((c) => c.id === id)!;
}

Deno.test("verify: a clean run passes (a day over the cap is a warning) and windows become verified", async () => {
  const f = await fixture();
  try {
    const r = await run(f);
    assert.equal(r.status, "warn");
    assert.ok(r.ok);
    assert.deepEqual(r.checks.filter((c) => c.status === "fail"), []);
    assert.equal(check(r, "overcap").status, "warn");
    assert.match(check(r, "overcap").details[0], /2022-01-11：共 5 条，文件仅 3 行，缺 2 条/);
    assert.deepEqual(r.totals, {
      windows: 3,
      declared: 10,
      expectedRows: 8,
      rowsInFiles: 8,
      mergedRows: null,
      duplicates: null,
      missingOvercap: 2,
    });
    assert.equal(f.ledger.get(f.ids[0])!.state, "verified");
    assert.equal(f.ledger.get(f.ids[2])!.state, "failed", "the over-cap day keeps its failed state");
    const md = await Deno.readTextFile(`${f.dir}/verify.md`);
    assert.match(md, /## 校验结果：⚠️ 警告/);
    assert.equal(JSON.parse(await Deno.readTextFile(`${f.dir}/verify.json`)).status, "warn");
  } finally {
    await f.close();
  }
});

Deno.test("verify: rows in a file differ from the declared count", async () => {
  const f = await fixture({ declared: [2, 2, 5] });
  try {
    const r = await run(f);
    assert.equal(r.status, "fail");
    assert.equal(check(r, "counts").status, "fail");
    assert.match(check(r, "counts").details[0], /窗口 1（20220101-20220107）：文件 3 行，飞书声明 2 条/);
    assert.deepEqual(r.failedWindows, [f.ids[0]]);
    assert.equal(f.ledger.get(f.ids[0])!.state, "downloaded", "a failing window is not marked verified");
  } finally {
    await f.close();
  }
});

Deno.test("verify: header drift is listed per file", async () => {
  const f = await fixture({
    columns: [COLS, ["记录ID", "合同编号", "备注"], COLS],
    rows: [undefined!, [{ 记录ID: "X1", 合同编号: "H", 备注: "a" }, {
      记录ID: "X2",
      合同编号: "H",
      备注: "b",
    }], undefined!],
  });
  try {
    const r = await run(f);
    assert.equal(check(r, "headers").status, "fail");
    assert.deepEqual(check(r, "headers").details, [
      "窗口 2（20220108-20220110）：缺少列 操作时间；多出列 备注",
    ]);
  } finally {
    await f.close();
  }
});

Deno.test("verify: empty or missing required columns", async () => {
  const f = await fixture({
    rows: [
      [{ 记录ID: "R1", 合同编号: "a" }, { 记录ID: "", 合同编号: "b" }, { 记录ID: null, 合同编号: "c" }],
      undefined!,
      undefined!,
    ],
  });
  try {
    const r = await run(f, { requiredColumns: ["记录ID", "审批单号"] });
    const d = check(r, "required");
    assert.equal(d.status, "fail");
    assert.ok(d.details.includes("窗口 1（20220101-20220107）：必填列「记录ID」有 2 行为空"));
    assert.ok(d.details.includes("窗口 2（20220108-20220110）：缺少必填列「审批单号」"));
  } finally {
    await f.close();
  }
});

Deno.test("verify: a gap and an overlap in date coverage", async () => {
  const f = await fixture({
    ranges: [["2022-01-01", "2022-01-06"], ["2022-01-08", "2022-01-10"], ["2022-01-10", "2022-01-10"]],
  });
  try {
    const r = await run(f);
    const c = check(r, "coverage");
    assert.equal(c.status, "fail");
    assert.deepEqual(c.details, [
      "缺口：2022-01-07 至 2022-01-07 没有窗口",
      "重叠：窗口 3（2022-01-10 至 2022-01-10）与前面的窗口重叠",
      "缺口：2022-01-11 至 2022-01-11 没有窗口",
    ]);
  } finally {
    await f.close();
  }
});

Deno.test("verify: a file changed after download is caught", async () => {
  const f = await fixture();
  try {
    // Same shape and row count, one value edited: only the recorded SHA-256 can tell.
    const w = f.ledger.get(f.ids[1])!;
    await Deno.writeFile(
      w.filePath!,
      buildXlsx([{
        name: "Sheet1",
        columns: COLS,
        rows: [{ 记录ID: "R4", 合同编号: "HT-4", 操作时间: new Date() }, {
          记录ID: "R5",
          合同编号: "篡改",
          操作时间: new Date(),
        }],
      }]),
    );
    const r = await run(f);
    assert.equal(check(r, "integrity").status, "fail");
    assert.match(check(r, "integrity").details[0], /窗口 2（20220108-20220110）：文件内容与下载时不一致/);
    assert.equal(check(r, "counts").status, "pass");
    // A deleted row is caught by the count as well.
    await Deno.writeFile(
      w.filePath!,
      buildXlsx([{ name: "Sheet1", columns: COLS, rows: [{ 记录ID: "R4" }] }]),
    );
    assert.equal(check(await run(f), "counts").status, "fail");
  } finally {
    await f.close();
  }
});

Deno.test("verify: a window without a file fails the files check", async () => {
  const f = await fixture();
  try {
    f.ledger.update(f.ids[1], {
      state: "failed",
      reasonCode: "delivery_timeout",
      reason: "超过 15 分钟未收到导出完成消息",
      filePath: null,
    });
    const r = await run(f);
    assert.deepEqual(check(r, "files").details, [
      "窗口 2（20220108-20220110）：超过 15 分钟未收到导出完成消息，没有文件",
    ]);
    assert.equal(r.status, "fail");
  } finally {
    await f.close();
  }
});
