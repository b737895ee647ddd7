/**
 * End to end: after a full run of the real CLI (headless Chromium against the
 * sandbox), `scripts/export_verify.ts` passes on the run directory; after one
 * window file loses rows and another gets a renamed column (both rewritten
 * with SheetJS), it exits non-zero and names those windows.
 */
import assert from "node:assert/strict";
import * as XLSX from "xlsx";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { windowLabel } from "../../pipelines/export/window.ts";
import { main as exportMain } from "../../scripts/export.ts";
import { main as verifyMain } from "../../scripts/export_verify.ts";
import { captured, readSheet, startSandbox, tempDir, writeConfig } from "./_e2e.ts";

/** Rewrite an xlsx with SheetJS after `edit` changed its rows (header row first). */
function rewrite(path: string, edit: (aoa: unknown[][]) => unknown[][]): void {
  const { headers, rows } = readSheet(path);
  const ws = XLSX.utils.aoa_to_sheet(edit([headers, ...rows]));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, "协同操作记录");
  Deno.writeFileSync(
    path,
    new Uint8Array(XLSX.write(wb, { type: "array", bookType: "xlsx" }) as ArrayBuffer),
  );
}

Deno.test({
  name: "export e2e: export:verify passes a finished run, then catches a tampered window file",
  // Sanitizers off: puppeteer-core keeps the Chromium child's pipes and its own timers past close().
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sb = await startSandbox();
    await using tmp = await tempDir("export-e2e-tamper-");
    try {
      const cfg = await writeConfig(tmp.path, sb.url);
      sb.phone(cfg.qrPath);
      const run = await captured(() => exportMain(["--config", cfg.path, "--quiet"]));
      assert.equal(run.value, 0, run.out + run.err);

      // Untouched: verify passes (a warning for the over-cap day only).
      const clean = await captured(() => verifyMain([cfg.runDir]));
      assert.equal(clean.value, 0, clean.out + clean.err);
      assert.match(clean.out, /## 校验结果：⚠️ 警告/);
      assert.doesNotMatch(clean.out, /❌/);

      const ledger = ExportLedger.open(`${cfg.runDir}/ledger.sqlite`);
      const ok = ledger.list().filter((w) => w.state === "verified" && w.rowsInFile! > 20);
      ledger.close();
      assert.ok(ok.length >= 3, `${ok.length} verified windows`);
      const [cut, renamed, untouched] = ok;
      const label = (w: typeof cut) => `窗口 ${w.id}（${windowLabel(w)}）`;

      // Window A loses its last 7 rows; window B's 操作人 column becomes 经办人.
      rewrite(cut.filePath!, (aoa) => aoa.slice(0, -7));
      rewrite(
        renamed.filePath!,
        (aoa) => [aoa[0].map((h) => (h === "操作人" ? "经办人" : h)), ...aoa.slice(1)],
      );
      assert.equal(readSheet(cut.filePath!).rows.length, cut.rowsInFile! - 7);

      const bad = await captured(() => verifyMain([cfg.runDir]));
      assert.equal(bad.value, 3, bad.out + bad.err);
      assert.match(bad.out, /## 校验结果：❌ 未通过/);
      const md = await Deno.readTextFile(`${cfg.runDir}/verify.md`);
      assert.equal(md, bad.out, "verify.md is what was printed");
      const section = (title: RegExp) => {
        const at = md.search(title);
        assert.ok(at >= 0, `section ${title} in verify.md`);
        const rest = md.slice(at);
        const end = rest.indexOf("\n### ", 4);
        return end < 0 ? rest : rest.slice(0, end);
      };
      // Rows: the cut window, with both figures.
      const counts = section(/### 每个窗口的行数与飞书声明一致/);
      assert.ok(
        counts.includes(`${label(cut)}：文件 ${cut.rowsInFile! - 7} 行，飞书声明 ${cut.declaredTotal} 条`),
        counts,
      );
      assert.ok(!counts.includes(label(renamed)) && !counts.includes(label(untouched)), counts);
      // Headers: the renamed window, with the column names.
      const headers = section(/### 各文件表头一致/);
      assert.ok(headers.includes(`${label(renamed)}：缺少列 操作人；多出列 经办人`), headers);
      assert.ok(!headers.includes(label(untouched)), headers);
      // Integrity: both files changed since download (SHA-256), the untouched one not.
      const integrity = section(/### 文件完整性/);
      for (const w of [cut, renamed]) {
        assert.ok(integrity.includes(`${label(w)}：文件内容与下载时不一致`), integrity);
      }
      assert.ok(!integrity.includes(label(untouched)), integrity);
      // The merged file no longer matches the window files.
      assert.match(section(/### 合并文件与各窗口文件一致/), /合并读入 (\d+) 行，窗口文件共 (\d+) 行/);
      const [, mergedIn, inFiles] = md.match(/合并读入 (\d+) 行，窗口文件共 (\d+) 行/)!;
      assert.equal(Number(mergedIn) - Number(inFiles), 7);

      const json = JSON.parse(await Deno.readTextFile(`${cfg.runDir}/verify.json`));
      assert.equal(json.ok, false);
      assert.deepEqual(json.failedWindows, [cut.id, renamed.id].sort((a, b) => a - b));
      // The windows that failed are no longer marked verified.
      const after = ExportLedger.open(`${cfg.runDir}/ledger.sqlite`);
      const states = new Map(after.list().map((w) => [w.id, w.state]));
      after.close();
      assert.deepEqual([states.get(cut.id), states.get(renamed.id), states.get(untouched.id)], [
        "downloaded",
        "downloaded",
        "verified",
      ]);

      // Usage errors are not verification results.
      assert.equal((await captured(() => verifyMain([]))).value, 2);
      assert.equal((await captured(() => verifyMain([`${tmp.path}/nope`]))).value, 1);
    } finally {
      await sb.close();
    }
  },
});
