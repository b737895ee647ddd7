/**
 * `deno task demo` end to end: `runDemo` into a temp folder (console output
 * captured, shown only on failure) → exit code 0 and the key artefacts of
 * each part: the chatid Excel, the export's merged workbook and verify.md,
 * and the archived meeting recording under `nas/` (personal file + team hard
 * links).
 */
import assert from "node:assert/strict";
import { readChatIdExcel } from "../../pipelines/chatid/output.ts";
import { runDemo } from "../../scripts/demo.ts";

/** Files (not folders) under `dir`, relative, sorted. */
async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...await filesUnder(`${dir}/${e.name}`, rel));
    else out.push(rel);
  }
  return out.sort();
}

Deno.test({
  name: "demo: chatid, export (headless Chromium) and meeting archive parts all complete",
  // The export part drives a Chromium child process whose pipes and timers outlive the part.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "demo-test-" });
    const lines: string[] = [];
    const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info };
    const keep = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
    Object.assign(console, { log: keep, error: keep, warn: keep, info: keep });
    let code: number;
    try {
      code = await runDemo(dir);
    } finally {
      Object.assign(console, saved);
    }
    const output = lines.join("\n");
    try {
      assert.equal(code, 0, `runDemo exit code; its output:\n${output}`);

      // Part 1: contract number → openChatId.
      const rows = await readChatIdExcel(`${dir}/contract_openChatId.xlsx`);
      assert.ok(rows.length > 0, "the chatid Excel has rows");
      assert.ok(rows.some((r) => r.status === "SUCCESS"));
      assert.ok((await Deno.stat(`${dir}/contract_openChatId_retry.xlsx`)).isFile);

      // Part 2: the export's merged workbook and verification report.
      const merged = (await filesUnder(`${dir}/export`)).filter((f) => /^合同协同_汇总_.*\.xlsx$/.test(f));
      assert.equal(merged.length, 1, `one merged workbook in export/: ${merged}`);
      assert.ok((await Deno.stat(`${dir}/export/${merged[0]}`)).size > 0);
      assert.match(await Deno.readTextFile(`${dir}/export/verify.md`), /校验结果/);

      // Part 3: the recording filed for the owner and their two departments (hard links), 2 MiB each.
      const mp4 = (await filesUnder(`${dir}/nas`)).filter((f) => f.endsWith(".mp4"));
      assert.equal(mp4.length, 3, `personal + two team files: ${mp4}`);
      const personal = mp4.filter((f) => !f.startsWith("@team/"));
      assert.equal(personal.length, 1);
      assert.match(personal[0], /^[0-9a-f]{8}\/张三_周会_\d{8}_\d{4}\.mp4$/);
      assert.deepEqual(
        mp4.filter((f) => f.startsWith("@team/")).map((f) => f.split("/")[1]).sort(),
        [
          "市场部",
          "后端组",
        ].sort(),
      );
      const stats = await Promise.all(mp4.map((f) => Deno.stat(`${dir}/nas/${f}`)));
      for (const st of stats) assert.equal(st.size, 2 * 1024 * 1024);
      assert.equal(
        new Set(stats.map((st) => st.ino)).size,
        1,
        "team files are hard links of the personal file",
      );
      assert.match(output, /红色卡片「需要授权才能归档会议录制」/);
      assert.match(output, /授权成功/);
      assert.match(output, /绿色卡片「会议录制已归档」/);
      assert.match(output, /归档服务已停止/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
