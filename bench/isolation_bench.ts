/**
 * What stage isolation and typed stage files cost (figures only, no assertion):
 * - NDJSON appends of a `windows.ndjson` line with and without the schema check,
 *   and reading the file back validated;
 * - parsing a downloaded window file: in this thread, in one long-lived
 *   read-only worker (`FileParser`, what the collect stage does), and in a
 *   fresh worker per file.
 *
 * Usage: deno run -A bench/isolation_bench.ts
 */
import { readTable } from "../lib/excel/read_table.ts";
import { buildXlsx } from "../lib/excel/write_xlsx.ts";
import { NdjsonWriter } from "../lib/ndjson/ndjson_writer.ts";
import { readNdjson } from "../lib/ndjson/read_ndjson.ts";
import { FileParser, parseFiles, type ParseOptions } from "../pipelines/export/parse_files.ts";
import { type WindowRecord, WindowRecordSchema } from "../pipelines/export/stage_log.ts";

const dir = await Deno.makeTempDir({ prefix: "isolation-bench-" });
const ms = (t0: number) => performance.now() - t0;

const record: WindowRecord = {
  type: "window",
  at: new Date().toISOString(),
  window_id: 1,
  range: "2024-01-01 至 2024-01-07",
  state: "downloaded",
  declared_total: 812,
  rows: 812,
  file: `${dir}/windows/合同协同_20240101-20240107.xlsx`,
  error: null,
  start: "2024-01-01",
  end: "2024-01-07",
  reason_code: null,
  task_id: "task-1",
  requested_at: Date.now(),
  notice_id: "om_1",
  sha256: "ab".repeat(32),
  parent_id: null,
  attempts: 1,
};
const N = 20_000;
for (const [label, schema] of [["no schema", undefined], ["schema", WindowRecordSchema]] as const) {
  const path = `${dir}/${label.replace(" ", "_")}.ndjson`;
  const out = new NdjsonWriter<WindowRecord>(path, { schema });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) out.append({ ...record, window_id: i });
  const t = ms(t0);
  out.close();
  console.log(
    `append ${label}: ${Math.round(N / (t / 1000))} lines/s (${(t * 1000 / N).toFixed(1)} µs/line)`,
  );
}
{
  const t0 = performance.now();
  const back = await readNdjson(`${dir}/schema.ndjson`, WindowRecordSchema);
  const t = ms(t0);
  console.log(
    `read + validate ${back.length} lines: ${t.toFixed(0)} ms (${
      (t * 1000 / back.length).toFixed(1)
    } µs/line)`,
  );
}

const rows = Array.from(
  { length: 1000 },
  (_, i) => ({ 记录ID: `R${i}`, 合同编号: `HT-${i}`, 操作: "编辑", 时间: new Date() }),
);
const files = Array.from({ length: 8 }, (_, i) => `${dir}/w${i}.xlsx`);
for (const f of files) {
  await Deno.writeFile(f, buildXlsx([{ name: "s", columns: ["记录ID", "合同编号", "操作", "时间"], rows }]));
}
const stats: ParseOptions = {
  dateColumns: [],
  requiredColumns: [],
  windowDateColumn: "",
  tzOffsetMinutes: 0,
  keepRows: false,
};
const at = (path: string) => ({ path, start: "2024-01-01", end: "2024-01-07" });
{
  const t0 = performance.now();
  for (const f of files) readTable(await Deno.readFile(f));
  console.log(`parse 8 × 1000-row files in this thread: ${(ms(t0) / files.length).toFixed(0)} ms/file`);
}
{
  const parser = new FileParser([dir]);
  const t0 = performance.now();
  for (const f of files) await parser.parse(at(f), stats);
  console.log(
    `parse in one long-lived read-only worker: ${
      (ms(t0) / files.length).toFixed(0)
    } ms/file (first includes start-up)`,
  );
  parser.close();
}
{
  const t0 = performance.now();
  for (const f of files) await parseFiles([at(f)], stats, { workers: 1, readDirs: [dir] });
  console.log(`parse in a fresh read-only worker per file: ${(ms(t0) / files.length).toFixed(0)} ms/file`);
}
await Deno.remove(dir, { recursive: true });
