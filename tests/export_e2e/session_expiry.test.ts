/**
 * End to end: the CLM session expires after a few export calls. The real CLI
 * pauses with exit code 1 and a Chinese message to refresh the curl/cookie,
 * keeps everything already exported, and after the session is valid again a
 * re-run completes with the same result as an uninterrupted run, without
 * exporting again what was exported before the pause.
 */
import assert from "node:assert/strict";
import { listRunWindows } from "../../pipelines/export/list.ts";
import { main } from "../../scripts/export.ts";
import {
  assertSameRecords,
  CAP,
  captured,
  expectedIds,
  mergedIds,
  startSandbox,
  tempDir,
  windowFiles,
  writeConfig,
} from "./_e2e.ts";

const range = (w: { start: string; end: string }) => `${w.start}..${w.end}`;

Deno.test({
  name:
    "export e2e: session expires mid-run → paused (exit 1, refresh the cookie), resumed to the same result",
  // Sanitizers off: puppeteer-core keeps the Chromium child's pipes and its own timers past close().
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sb = await startSandbox();
    await using tmp = await tempDir("export-e2e-session-");
    let watcher: ReturnType<typeof setInterval> | undefined;
    try {
      const cfg = await writeConfig(tmp.path, sb.url);
      sb.phone(cfg.qrPath);
      const want = expectedIds(sb.family);

      // The session expires once 3 export calls have reached the sandbox.
      let expired = false;
      watcher = setInterval(() => {
        if (!expired && sb.exportCalls() >= 3) {
          expired = true;
          sb.sandbox.faults.expireSessions();
        }
      }, 2);
      const paused = await captured(() => main(["--config", cfg.path, "--quiet"]));
      clearInterval(watcher);
      const made = sb.family.tasks.length; // exports the sandbox accepted before the expiry
      assert.ok(expired && made >= 2, `the session expired mid-run (after ${made} exports)`);
      assert.equal(paused.value, 1, paused.out + paused.err);
      const said = paused.out + "\n" + paused.err;
      assert.match(said, /已暂停：.*登录已失效/);
      assert.match(said, /重新「复制为 cURL」或更新配置中的 cookie/);
      assert.match(said, /已完成的窗口均已保存/);
      assert.doesNotMatch(said, /session=/, "the cookie is never printed");

      // Exactly one refused call, then the run stopped calling.
      const refused = sb.sandbox.journal.filter("cooperation_export").filter((e) => e.status === 401);
      assert.equal(refused.length, 1);
      assert.equal(sb.exportCalls(), made + 1);

      // Nothing done is lost: every successful export is recorded; no window failed for it.
      const atPause = listRunWindows(cfg.runDir);
      const exported = atPause.filter((w) => w.taskId !== null);
      assert.equal(exported.length, made);
      assert.deepEqual(
        exported.map(range).sort(),
        sb.family.tasks.map((t) => `${t.startDate}..${t.endDate}`).sort(),
      );
      assert.deepEqual(atPause.filter((w) => w.state === "failed" && w.reasonCode !== "overcap"), []);
      assert.equal(
        atPause.filter((w) => w.state === "planned").length,
        1,
        "the refused window stays planned",
      );
      assert.equal(windowFiles(cfg.runDir).length, 0, "paused before collecting");
      const report = await Deno.readTextFile(`${cfg.runDir}/report.md`);
      assert.match(report, /已暂停/);

      // Still expired: a re-run pauses again at once, without losing anything.
      const again = await captured(() => main(["--config", cfg.path, "--quiet"]));
      assert.equal(again.value, 1);
      assert.equal(listRunWindows(cfg.runDir).filter((w) => w.taskId !== null).length, made);
      assert.equal(sb.family.tasks.length, made);

      // Cookie refreshed: the re-run completes.
      sb.sandbox.faults.restoreSessions();
      const done = await captured(() => main(["--config", cfg.path, "--quiet"]));
      assert.equal(done.value, 0, done.out + done.err);
      assert.match(done.out, /完成（有警告，见报告）/);
      const ids = mergedIds(`${cfg.runDir}/合同协同_汇总_20240101-20240331.xlsx`);
      assert.equal(ids.length, sb.family.dataset.recordCount - want.lost);
      assertSameRecords(ids, want.ids);

      const final = listRunWindows(cfg.runDir);
      for (const w of final.filter((x) => x.state !== "split")) {
        assert.ok(
          w.state === "verified" || (w.reasonCode === "overcap" && w.rowsInFile === CAP),
          `window ${w.id} ${range(w)}: ${w.state} ${w.reason ?? ""}`,
        );
      }
      // Windows exported before the pause kept their export task; nothing was exported twice.
      for (const w of exported) {
        assert.equal(final.find((x) => x.id === w.id)!.taskId, w.taskId, `window ${range(w)} kept its task`);
      }
      const tasks = sb.family.tasks.map((t) => `${t.startDate}..${t.endDate}`);
      assert.equal(new Set(tasks).size, tasks.length, "no range exported twice");
      assert.deepEqual(tasks.sort(), final.map(range).sort());
    } finally {
      clearInterval(watcher);
      await sb.close();
    }
  },
});
