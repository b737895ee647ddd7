import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import * as XLSX from "xlsx";
import { buildXlsx } from "../../lib/excel/write_xlsx.ts";
import { mergeWindowFiles } from "../../pipelines/export/merge.ts";
import { parseFiles } from "../../pipelines/export/parse_files.ts";

async function write(path: string, columns: string[], rows: Record<string, unknown>[]) {
  await Deno.writeFile(path, buildXlsx([{ name: "Sheet1", columns, rows }]));
}

function readBack(path: string): unknown[][] {
  const wb = XLSX.read(
    Deno.readFileSync(path),
    { type: "array", dense: true, cellDates: true, UTC: true } as XLSX.ParsingOptions,
  );
  return XLSX.utils.sheet_to_json<unknown[]>(
    wb.Sheets[wb.SheetNames[0]],
    { header: 1, raw: true, defval: null, UTC: true } as XLSX.Sheet2JSONOpts,
  );
}

Deno.test("merge: header drift, duplicates by key and by row hash, dates, source column, SQLite table", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-merge-" });
  try {
    const t = (s: string) => new Date(`${s}Z`);
    await write(`${dir}/a.xlsx`, ["记录ID", "合同编号", "操作时间", "创建时间"], [
      { 记录ID: "R1", 合同编号: "HT-1", 操作时间: t("2022-01-01T09:00:00"), 创建时间: "2022-01-01 08:30:00" },
      { 记录ID: "R2", 合同编号: "HT-2", 操作时间: t("2022-01-02T10:15:30"), 创建时间: "2022/1/2 10:00" },
    ]);
    // Drift: a new column, another order, no 创建时间; R2 again (boundary duplicate); an epoch-ms date.
    await write(`${dir}/b.xlsx`, ["合同编号", "记录ID", "操作时间", "备注"], [
      { 合同编号: "HT-2", 记录ID: "R2", 操作时间: t("2022-01-02T10:15:30"), 备注: "dup" },
      { 合同编号: "HT-3", 记录ID: "R3", 操作时间: Date.UTC(2022, 0, 8, 1, 0, 0), 备注: "epoch" },
      { 合同编号: "HT-4", 记录ID: "", 操作时间: t("2022-01-09T00:00:00"), 备注: "no key" },
      { 合同编号: "HT-4", 记录ID: null, 操作时间: t("2022-01-09T00:00:00"), 备注: "no key" },
    ]);
    const res = await mergeWindowFiles({
      inputs: [
        { windowId: 1, start: "2022-01-01", end: "2022-01-07", path: `${dir}/a.xlsx` },
        { windowId: 2, start: "2022-01-08", end: "2022-01-14", path: `${dir}/b.xlsx` },
      ],
      outputPath: `${dir}/merged.xlsx`,
      dateColumns: ["操作时间", "创建时间"],
      tzOffsetMinutes: -480,
      sqlitePath: `${dir}/merged.sqlite`,
    });
    assert.deepEqual(res.columns, ["记录ID", "合同编号", "操作时间", "创建时间", "备注", "来源窗口"]);
    assert.equal(res.rowsIn, 6);
    assert.equal(res.duplicates, 2, "R2 by key, the keyless HT-4 row by its hash");
    assert.equal(res.rowsOut, 4);
    assert.equal(res.duplicateExamples[0].key, "R2");
    assert.equal(res.duplicateExamples[0].keptIn, "20220101-20220107");
    assert.equal(res.duplicateExamples[0].droppedIn, "20220108-20220114");

    const rows = readBack(`${dir}/merged.xlsx`);
    assert.deepEqual(rows[0], res.columns);
    assert.equal(rows.length, 5);
    const byId = new Map(rows.slice(1).map((r) => [r[0] ?? `#${r[1]}`, r]));
    const r1 = byId.get("R1")!;
    assert.ok(r1[2] instanceof Date && r1[3] instanceof Date, "dates are real date cells");
    assert.equal((r1[2] as Date).toISOString(), "2022-01-01T09:00:00.000Z", "wall clock kept");
    assert.equal((r1[3] as Date).toISOString(), "2022-01-01T08:30:00.000Z", "text date became a date");
    assert.equal((byId.get("R2")![3] as Date).toISOString(), "2022-01-02T10:00:00.000Z");
    assert.equal(r1[5], "20220101-20220107");
    const r3 = byId.get("R3")!;
    assert.equal((r3[2] as Date).toISOString(), "2022-01-08T09:00:00.000Z", "epoch ms shown in UTC+8");
    assert.equal(r3[3], null, "a column a file lacks stays empty");
    assert.equal(r3[4], "epoch");
    assert.equal(r3[5], "20220108-20220114");

    const db = new DatabaseSync(`${dir}/merged.sqlite`);
    const n = db.prepare("SELECT count(*) AS n FROM records").get() as { n: number };
    const one = db.prepare('SELECT "操作时间" AS t FROM records WHERE "记录ID" = ?').get("R1") as {
      t: string;
    };
    db.close();
    assert.equal(n.n, 4);
    assert.equal(one.t, "2022-01-01 09:00:00");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("merge: workers may only read the files' folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-perm-" });
  const other = await Deno.makeTempDir({ prefix: "export-other-" });
  try {
    await write(`${dir}/a.xlsx`, ["记录ID"], [{ 记录ID: "R1" }]);
    await write(`${other}/b.xlsx`, ["记录ID"], [{ 记录ID: "R2" }]);
    const parsed = await parseFiles(
      [{ path: `${dir}/a.xlsx`, start: "2022-01-01", end: "2022-01-01" }, {
        path: `${other}/b.xlsx`,
        start: "2022-01-01",
        end: "2022-01-01",
      }],
      {
        dateColumns: [],
        requiredColumns: ["记录ID"],
        windowDateColumn: "",
        tzOffsetMinutes: -480,
        keepRows: false,
      },
      { readDirs: [dir] },
    );
    assert.equal(parsed[0].stats?.rows, 1);
    assert.equal(parsed[1].stats, undefined);
    assert.match(
      parsed[1].error!,
      /read access|NotCapable|Requires/i,
      "outside the granted folder reads are refused",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(other, { recursive: true });
  }
});

Deno.test("merge: a file that is not xlsx is reported, others still merge", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-bad-" });
  try {
    await write(`${dir}/a.xlsx`, ["记录ID"], [{ 记录ID: "R1" }]);
    await Deno.writeTextFile(`${dir}/b.xlsx`, "<html>login</html>");
    const res = await mergeWindowFiles({
      inputs: [
        { windowId: 1, start: "2022-01-01", end: "2022-01-01", path: `${dir}/a.xlsx` },
        { windowId: 2, start: "2022-01-02", end: "2022-01-02", path: `${dir}/missing.xlsx` },
      ],
      outputPath: `${dir}/m.xlsx`,
    });
    assert.equal(res.rowsOut, 1);
    assert.ok(res.files[1].error);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
