/**
 * End to end: the real CLI (`scripts/export.ts` `main`) against an in-process
 * sandbox, files collected by real headless Chromium from the sandbox
 * messenger (QR "scanned" by the test), merged, verified and reported; then
 * `--list` prints the window table.
 */
import assert from "node:assert/strict";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { main } from "../../scripts/export.ts";
import {
  assertSameRecords,
  CAP,
  captured,
  expectedIds,
  mergedIds,
  RANGE,
  readSheet,
  startSandbox,
  tempDir,
  windowFiles,
  writeConfig,
} from "./_e2e.ts";

Deno.test({
  name: "export e2e: full run with headless Chromium → merged, verified, reported; --list",
  // Sanitizers off: puppeteer-core keeps the Chromium child's pipes and its own timers past close().
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sb = await startSandbox();
    await using tmp = await tempDir("export-e2e-full-");
    try {
      const cfg = await writeConfig(tmp.path, sb.url);
      sb.phone(cfg.qrPath);
      const want = expectedIds(sb.family);
      const spike = sb.family.dataset.daysOver(CAP)[0];
      assert.ok(want.lost > 0 && want.lost === spike.count - CAP);

      const run = await captured(() => main(["--config", cfg.path, "--quiet"]));
      // A day over the cap is a warning, not a failure: run.ts ends "done" (exit 0),
      // "完成（有警告，见报告）", with the day flagged.
      assert.equal(run.value, 0, run.out + run.err);
      assert.match(run.out, /完成（有警告，见报告）/);
      assert.match(run.out, new RegExp(`${spike.date}（${spike.count} 条）`));
      assert.ok((await Deno.stat(cfg.qrPath)).size > 0, "the QR code was saved as PNG");
      assert.match(run.err, /请用飞书 App 扫描二维码登录：.*login_qr\.png/);

      // The merged workbook: every record of the range once, minus the truncated rows of the over-cap day.
      const mergedPath = `${cfg.runDir}/合同协同_汇总_${RANGE.start.replaceAll("-", "")}-${
        RANGE.end.replaceAll("-", "")
      }.xlsx`;
      const ids = mergedIds(mergedPath);
      assert.equal(ids.length, sb.family.dataset.recordCount - want.lost);
      assertSameRecords(ids, want.ids);
      const merged = readSheet(mergedPath);
      assert.ok(merged.headers.includes("来源窗口"), "source-window column");
      assert.match(run.out, new RegExp(`合并后 ${ids.length} 行（去除重复 0）`));

      // Every window: verified, except the over-cap day (flagged, its first 1,000 rows kept).
      const ledger = ExportLedger.open(`${cfg.runDir}/ledger.sqlite`);
      const windows = ledger.list();
      ledger.close();
      const leaves = windows.filter((w) => w.state !== "split");
      const overcap = leaves.filter((w) => w.reasonCode === "overcap");
      assert.deepEqual(
        overcap.map((w) => [w.start, w.end, w.state, w.declaredTotal, w.rowsInFile]),
        [[spike.date, spike.date, "failed", spike.count, CAP]],
      );
      for (const w of leaves.filter((x) => x.reasonCode !== "overcap")) {
        assert.equal(w.state, "verified", `window ${w.id} ${w.start}..${w.end}: ${w.state} ${w.reason}`);
        assert.equal(w.rowsInFile, w.declaredTotal);
      }
      assert.equal(leaves.reduce((n, w) => n + w.rowsInFile!, 0), ids.length);
      assert.deepEqual(
        windowFiles(cfg.runDir),
        leaves.map((w) => w.filePath!.slice(w.filePath!.lastIndexOf("/") + 1)).sort(),
      );
      // Each window exported exactly once, and nothing else was exported.
      const key = (s: string, e: string) => `${s}..${e}`;
      assert.deepEqual(
        sb.family.tasks.map((t) => key(t.startDate, t.endDate)).sort(),
        windows.map((w) => key(w.start, w.end)).sort(),
      );
      assert.equal(sb.exportCalls(), windows.length);
      assert.match(run.out, new RegExp(`导出调用 ${windows.length} 次`));

      // verify.json / verify.md / report.md.
      const verify = JSON.parse(await Deno.readTextFile(`${cfg.runDir}/verify.json`));
      assert.equal(verify.ok, true);
      assert.equal(verify.status, "warn");
      assert.deepEqual(verify.checks.filter((c: { status: string }) => c.status === "fail"), []);
      assert.deepEqual(
        verify.checks.filter((c: { status: string }) => c.status === "warn").map((c: { id: string }) => c.id),
        ["overcap"],
      );
      assert.equal(verify.totals.mergedRows, ids.length);
      assert.equal(verify.totals.missingOvercap, want.lost);
      const verifyMd = await Deno.readTextFile(`${cfg.runDir}/verify.md`);
      assert.match(verifyMd, /## 校验结果：⚠️ 警告/);
      assert.match(verifyMd, new RegExp(`${spike.date}：共 ${spike.count} 条，文件仅 ${CAP} 行`));
      const report = await Deno.readTextFile(`${cfg.runDir}/report.md`);
      assert.match(report, /^# 合同协同记录导出报告/);
      assert.match(report, /\| ID \| 开始 \| 结束 \| 天数 \| 状态 \|/);
      assert.equal(report.split("\n").filter((l) => /^\| \d+ \| \d{4}-/.test(l)).length, windows.length);
      assert.match(report, new RegExp(`单日超过 ${CAP} 条（共 ${spike.count} 条），无法按日期拆分`));

      // --list: the window table.
      const list = await captured(() => main(["--config", cfg.path, "--list"]));
      assert.equal(list.value, 0, list.err);
      const lines = list.out.split("\n");
      assert.match(lines[0], /^ID\s+开始\s+结束\s+天数\s+状态\s+声明条数\s+文件行数\s+导出次数\s+说明$/);
      for (const w of windows) {
        assert.ok(
          lines.some((l) => new RegExp(`^\\s*${w.id}\\s+${w.start}\\s+${w.end}\\s`).test(l)),
          `window ${w.id} listed`,
        );
      }
      assert.match(lines[lines.length - 1], new RegExp(`^共 ${windows.length} 个窗口：.*已校验 \\d+`));
      assert.ok(lines.some((l) => l.includes(spike.date) && l.includes("失败") && l.includes("单日超过")));
    } finally {
      await sb.close();
    }
  },
});
