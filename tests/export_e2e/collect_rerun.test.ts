/**
 * End to end: a run that stopped after the request stage (nothing collected),
 * its `ledger.sqlite` and `windows.ndjson` then deleted, is finished stage by stage from its NDJSON
 * files alone: `--only-stage collect` (headless Chromium driven from the
 * collect Worker) downloads every requested window, `--only-stage merge`
 * merges and verifies them.
 */
import assert from "node:assert/strict";
import { parse as parseYaml } from "yaml";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { createExportContext, resolveExportAuth } from "../../pipelines/export/context.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { requestStageInWorker } from "../../pipelines/export/request_worker.ts";
import { runExport } from "../../pipelines/export/run.ts";
import { readStageLog } from "../../pipelines/export/stage_log.ts";
import { main } from "../../scripts/export.ts";
import {
  assertSameRecords,
  captured,
  expectedIds,
  mergedIds,
  RANGE,
  startSandbox,
  tempDir,
  windowFiles,
  writeConfig,
} from "./_e2e.ts";

Deno.test({
  name:
    "export e2e: --only-stage collect from request.ndjson with the ledger and windows.ndjson deleted, then --only-stage merge",
  // Sanitizers off: puppeteer-core keeps the Chromium child's pipes and its own timers past close().
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sb = await startSandbox();
    await using tmp = await tempDir("export-e2e-rerun-");
    try {
      const cfg = await writeConfig(tmp.path, sb.url);
      const config = ExportConfigSchema.parse(parseYaml(await Deno.readTextFile(cfg.path)));
      const auth = await resolveExportAuth(config);
      const ctx = await createExportContext(config, auth);

      // The request stage only: every window exported, no file collected.
      const requestedOnly = await runExport({
        config,
        client: ctx.api,
        fingerprint: ctx.fingerprint,
        requestStage: requestStageInWorker({ config, auth, runDir: cfg.runDir }),
        collectStage: () =>
          Promise.resolve({
            delivered: 0,
            downloaded: 0,
            timedOut: 0,
            badFiles: 0,
            split: 0,
            aborted: false,
          }),
      });
      assert.equal(requestedOnly.status, "incomplete", requestedOnly.message);
      const requests = (await readStageLog(cfg.runDir, "request")).filter((r) => r.task_id);
      const leaves = requests.filter((r) => r.outcome !== "split");
      assert.equal(requests.length, sb.family.tasks.length);
      assert.ok(leaves.length > 3);
      assert.deepEqual(windowFiles(cfg.runDir), []);
      // Only plan.ndjson and request.ndjson are left to say what was requested.
      for (const f of ["ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm", "windows.ndjson"]) {
        await Deno.remove(`${cfg.runDir}/${f}`).catch(() => {});
      }

      // Collect alone, from the stage files.
      sb.phone(cfg.qrPath);
      const collect = await captured(() =>
        main(["--config", cfg.path, "--only-stage", "collect", cfg.runDir])
      );
      assert.equal(collect.value, 0, collect.out + collect.err);
      assert.match(collect.err, /ledger\.sqlite 缺少 \d+ 个窗口，已按阶段文件补回/);
      assert.match(collect.out, new RegExp(`下载 ${leaves.length} 个文件；已导出的窗口都已收取`));
      assert.equal(windowFiles(cfg.runDir).length, leaves.length);
      const downloads = (await readStageLog(cfg.runDir, "collect")).filter((r) => r.type === "download");
      assert.deepEqual(downloads.map((d) => d.window_id).sort(), leaves.map((r) => r.window_id).sort());
      assert.equal(sb.exportCalls(), requests.length, "collecting exported nothing again");
      const windowsLog = await readStageLog(cfg.runDir, "windows");
      for (const r of leaves) {
        const last = windowsLog.filter((w) => w.window_id === r.window_id).at(-1)!;
        assert.ok(
          last.file && (last.state === "downloaded" || last.reason_code === "overcap"),
          JSON.stringify(last),
        );
      }

      // Merge (and verify) alone.
      const merge = await captured(() => main(["--config", cfg.path, "--only-stage", "merge", cfg.runDir]));
      assert.equal(merge.value, 0, merge.out + merge.err);
      assert.match(merge.out, /已合并：.*，校验通过/);
      const mergedPath = `${cfg.runDir}/合同协同_汇总_${RANGE.start.replaceAll("-", "")}-${
        RANGE.end.replaceAll("-", "")
      }.xlsx`;
      assertSameRecords(mergedIds(mergedPath), expectedIds(sb.family).ids);
      const ledger = ExportLedger.open(`${cfg.runDir}/ledger.sqlite`);
      const verified = ledger.list().filter((w) => w.state === "verified").length;
      ledger.close();
      assert.equal(verified, leaves.length - 1, "every window verified but the day over the cap");
    } finally {
      await sb.close();
    }
  },
});
