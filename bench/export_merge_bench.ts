/**
 * Merge benchmark: 80 window files × 1,000 rows × 20 columns merged by
 * `mergeWindowFiles` (2 read-only parsing workers, streaming xlsx writer).
 * Prints wall time and peak RSS (sampled every 10 ms with
 * `Deno.memoryUsage()`, main process incl. workers). Goals: ≤ 10 s, ≤ 400 MB.
 * Measured twice: with default V8 settings and with
 * `--v8-flags=--max-semi-space-size=4` (V8 otherwise lets each worker's young
 * generation grow to tens of MB before collecting).
 *
 * Run: `deno run -A bench/export_merge_bench.ts [files] [rows]` (the merge runs in a
 * fresh child process so generating the files does not count).
 *
 * @module
 */
import { buildXlsx } from "../lib/excel/write_xlsx.ts";
import { mergeWindowFiles } from "../pipelines/export/merge.ts";
import { addDays } from "../pipelines/export/dates.ts";

/** Column names of the synthetic window files (20). */
export const BENCH_COLUMNS = [
  "记录ID",
  "合同编号",
  "合同名称",
  "操作类型",
  "操作人",
  "操作人部门",
  "操作时间",
  "创建时间",
  "协同状态",
  "相对方",
  "我方主体",
  "合同金额",
  "币种",
  "合同类型",
  "审批单号",
  "备注",
  "附件数",
  "版本",
  "耗时(秒)",
  "来源",
];

/** Write `files` synthetic window files of `rows` rows into `dir`; returns the merge inputs. */
export async function writeBenchFiles(dir: string, files: number, rows: number) {
  const inputs = [];
  let id = 0;
  for (let f = 0; f < files; f++) {
    const start = addDays("2022-01-01", f * 7);
    const end = addDays(start, 6);
    const data: Record<string, unknown>[] = [];
    for (let r = 0; r < rows; r++) {
      id++;
      const t = Date.parse(`${start}T00:00:00Z`) + ((r * 604_800_000) / rows);
      data.push({
        记录ID: `R${String(id).padStart(8, "0")}`,
        合同编号: `HT-2022-${String(id % 9973).padStart(5, "0")}`,
        合同名称: `采购框架合同（第${id % 37}批）`,
        操作类型: ["发起协同", "加入协同", "确认", "下载文件", "完成"][id % 5],
        操作人: `员工${id % 211}`,
        操作人部门: `部门${id % 17}`,
        操作时间: new Date(t),
        创建时间: new Date(t).toISOString().slice(0, 19).replace("T", " "),
        协同状态: id % 3 ? "进行中" : "已完成",
        相对方: `供应商${id % 503}有限公司`,
        我方主体: "示例科技有限公司",
        合同金额: (id % 1000) * 123.45,
        币种: "CNY",
        合同类型: "采购",
        审批单号: `SP${id * 7}`,
        备注: id % 4 ? "" : "无",
        附件数: id % 6,
        版本: 1 + (id % 3),
        "耗时(秒)": id % 3600,
        来源: "网页",
      });
    }
    const path = `${dir}/w${String(f).padStart(3, "0")}.xlsx`;
    await Deno.writeFile(path, buildXlsx([{ name: "Sheet1", columns: BENCH_COLUMNS, rows: data }]));
    inputs.push({ windowId: f + 1, start, end, path });
  }
  return inputs;
}

/** Merge the files in `dir` (written by {@linkcode writeBenchFiles}) and print the figures. */
async function measure(dir: string, files: number): Promise<void> {
  const inputs = [];
  for (let f = 0; f < files; f++) {
    const start = addDays("2022-01-01", f * 7);
    inputs.push({
      windowId: f + 1,
      start,
      end: addDays(start, 6),
      path: `${dir}/w${String(f).padStart(3, "0")}.xlsx`,
    });
  }
  const base = Deno.memoryUsage().rss;
  let peak = base;
  let heap = 0;
  const timer = setInterval(() => {
    const m = Deno.memoryUsage();
    peak = Math.max(peak, m.rss);
    heap = Math.max(heap, m.heapTotal + m.external);
  }, 10);
  const t0 = performance.now();
  const res = await mergeWindowFiles({
    inputs,
    outputPath: `${dir}/merged.xlsx`,
    dateColumns: ["操作时间", "创建时间"],
    requiredColumns: ["记录ID"],
    workers: 2,
  });
  const wall = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, Deno.memoryUsage().rss);
  const size = (await Deno.stat(res.outputPath)).size;
  console.log(
    `合并：${res.rowsIn} 行读入，${res.rowsOut} 行写出，重复 ${res.duplicates}，列 ${res.columns.length}`,
  );
  console.log(`用时 ${(wall / 1000).toFixed(2)} 秒（目标 ≤ 10 秒）${wall <= 10_000 ? " ✓" : " ✗"}`);
  console.log(
    `峰值 RSS ${(peak / 1e6).toFixed(0)} MB（进程启动后 ${(base / 1e6).toFixed(0)} MB；目标 ≤ 400 MB）${
      peak <= 400e6 ? " ✓" : " ✗"
    }`,
  );
  console.log(`输出 ${(size / 1e6).toFixed(1)} MB；主线程堆峰值 ${(heap / 1e6).toFixed(0)} MB`);
}

if (import.meta.main) {
  if (Deno.args[0] === "--measure") {
    await measure(Deno.args[1], Number(Deno.args[2]));
  } else {
    const files = Number(Deno.args[0] ?? 80);
    const rows = Number(Deno.args[1] ?? 1000);
    const dir = await Deno.makeTempDir({ prefix: "export-merge-bench-" });
    try {
      console.log(`生成 ${files} 个文件 × ${rows} 行 × ${BENCH_COLUMNS.length} 列 ……`);
      await writeBenchFiles(dir, files, rows);
      // Measure in a fresh process so the generator's garbage does not count; once
      // with default V8 settings, once with the small young generation the
      // export task is meant to run with.
      for (const flags of [[], ["--v8-flags=--max-semi-space-size=4"]]) {
        console.log(`\n—— deno run ${flags.join(" ") || "（默认 V8 参数）"}`);
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "-A", ...flags, new URL(import.meta.url).pathname, "--measure", dir, String(files)],
          stdout: "inherit",
          stderr: "inherit",
        }).output();
        if (!out.success) Deno.exitCode = 1;
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
}
