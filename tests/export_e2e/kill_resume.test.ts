/**
 * End to end: `kill -9` of the real CLI (a `deno run scripts/export.ts`
 * subprocess talking to a sandbox in this process) twice, first while it is
 * exporting and then while Chromium is downloading files, then a resume that
 * finishes the run. The merged result must be exactly that of an
 * uninterrupted run, and nothing recorded before a kill is exported again.
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
  pidsWith,
  RANGE,
  startSandbox,
  tempDir,
  waitFor,
  windowFiles,
  writeConfig,
} from "./_e2e.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The CLI as `deno task export` runs it, in its own process. */
function spawnExport(configPath: string, runDir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--v8-flags=--max-semi-space-size=4",
      "--allow-net=127.0.0.1,localhost",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      // As `deno task export`: the browser is found at run time (see deno.json).
      "--allow-run",
      "scripts/export.ts",
      "--config",
      configPath,
      "--quiet",
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Read the pipes as they come (a Chromium child could keep them open after the export dies).
  let printed = "";
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) printed += chunk;
  };
  void drain(child.stdout).catch(() => {});
  void drain(child.stderr).catch(() => {});
  let status: Deno.CommandStatus | undefined;
  void child.status.then((s) => (status = s));
  const exited = () => status !== undefined;
  const text = () => printed;
  return {
    child,
    /** Wait for `cond`, failing with the child's output if it exits first. */
    async until(what: string, cond: () => boolean, timeoutMs = 45_000) {
      let ok: boolean;
      try {
        ok = await waitFor(what, () => (cond() ? true : exited() ? false : undefined), timeoutMs);
      } catch (e) {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
        const log = await Deno.readTextFile(`${runDir}/run.log.ndjson`).catch(() => "");
        throw new Error(
          `${(e as Error).message}; the export printed:\n${text()}\nrun.log.ndjson:\n${log.slice(-4000)}`,
        );
      }
      if (!ok) throw new Error(`the export exited before ${what}:\n${text()}`);
    },
    /** kill -9 now; resolves with what the child printed. */
    async kill9() {
      try {
        child.kill("SIGKILL");
      } catch (e) {
        throw new Error(`the export had already exited (${(e as Error).message}):\n${text()}`);
      }
      const st = await child.status;
      assert.equal(st.signal, "SIGKILL", "killed, not finished: " + text());
      return text();
    },
  };
}

const range = (w: { start: string; end: string }) => `${w.start}..${w.end}`;

Deno.test({
  name: "export e2e: kill -9 while exporting and while downloading, then resume → same result, no re-export",
  // Sanitizers off: puppeteer-core keeps the Chromium child's pipes and its own timers past close().
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const sb = await startSandbox();
    await using tmp = await tempDir("export-e2e-kill-");
    const profile = `${tmp.path}/chromium-profile`;
    try {
      const cfg = await writeConfig(tmp.path, sb.url);
      sb.phone(cfg.qrPath);
      const want = expectedIds(sb.family);

      // 1. Killed in the request stage, after a few export calls.
      const first = spawnExport(cfg.path, cfg.runDir);
      await first.until("3 export calls", () => sb.exportCalls() >= 3);
      await first.kill9();
      const killedAt1 = sb.family.tasks.length;
      const s1 = listRunWindows(cfg.runDir);
      const requested1 = s1.filter((w) => w.taskId !== null);
      assert.ok(requested1.length >= 2, `some windows recorded as exported (${requested1.length})`);
      assert.equal(windowFiles(cfg.runDir).length, 0, "killed before any download");

      // 2. Resumed, killed again once Chromium has saved a few window files. The windows this
      //    run exports are delivered 4 s late, so the kill lands with files still missing.
      sb.family.deliveryDelayMs = 4000;
      const second = spawnExport(cfg.path, cfg.runDir);
      await second.until(
        "2 windows downloaded",
        () =>
          windowFiles(cfg.runDir).length >= 2 &&
          listRunWindows(cfg.runDir).filter((w) => w.filePath).length >= 2,
      );
      await second.kill9();
      const killedAt2 = sb.family.tasks.length;
      const s2 = listRunWindows(cfg.runDir);
      const downloaded2 = s2.filter((w) => w.filePath !== null);
      assert.ok(downloaded2.length >= 2);
      assert.ok(
        s2.some((w) => w.state !== "split" && w.filePath === null),
        "the second kill left windows without a file",
      );
      // Chromium is driven over a pipe: it must not outlive the killed export and hold the profile.
      await waitFor(
        "Chromium of the killed run to exit",
        async () => (await pidsWith(profile)).length ? undefined : true,
        10_000,
      );

      // 3. Resumed to the end (in this process).
      sb.family.deliveryDelayMs = 200;
      sb.family.deliverNow();
      const last = await captured(() => main(["--config", cfg.path, "--quiet"]));
      assert.equal(last.value, 0, last.out + last.err);
      assert.match(last.out, /完成（有警告，见报告）/);

      // Exactly the records of an uninterrupted run (full_run.test.ts checks that run against the same set).
      const ids = mergedIds(`${cfg.runDir}/合同协同_汇总_20240101-20240331.xlsx`);
      assert.equal(ids.length, sb.family.dataset.recordCount - want.lost);
      assertSameRecords(ids, want.ids);

      const final = listRunWindows(cfg.runDir);
      const leaves = final.filter((w) => w.state !== "split");
      for (const w of leaves) {
        assert.ok(
          w.state === "verified" || (w.reasonCode === "overcap" && w.rowsInFile === CAP),
          `window ${w.id} ${range(w)}: ${w.state} ${w.reason ?? ""}`,
        );
      }
      // Windows are never doubled by a resume: one per range, covering the range once.
      assert.equal(new Set(final.map(range)).size, final.length, "no window planned twice");
      assert.equal(leaves[0].start, RANGE.start);
      assert.equal(leaves[leaves.length - 1].end, RANGE.end);
      // A file already downloaded stays as it was (same path and content hash).
      for (const w of downloaded2) {
        const now = final.find((x) => x.id === w.id)!;
        assert.deepEqual([now.filePath, now.sha256], [w.filePath, w.sha256], `window ${w.id} kept its file`);
      }

      // Nothing recorded before a kill was exported again.
      const tasks = sb.family.tasks;
      const after1 = new Set(tasks.slice(killedAt1).map((t) => `${t.startDate}..${t.endDate}`));
      for (const w of requested1) {
        assert.ok(!after1.has(range(w)), `window ${range(w)} re-exported after kill 1`);
      }
      const after2 = new Set(tasks.slice(killedAt2).map((t) => `${t.startDate}..${t.endDate}`));
      for (const w of s2.filter((x) => x.taskId !== null)) {
        assert.ok(!after2.has(range(w)), `window ${range(w)} re-exported after kill 2`);
      }
      // Every export is one of the run's windows; at most the one call in flight at a kill is repeated.
      assert.deepEqual(
        [...new Set(tasks.map((t) => `${t.startDate}..${t.endDate}`))].sort(),
        final.map(range).sort(),
      );
      assert.ok(tasks.length <= final.length + 2, `${tasks.length} exports for ${final.length} windows`);
      assert.ok(ids.length > 0 && windowFiles(cfg.runDir).length === leaves.length);
    } finally {
      await sb.close();
      for (const pid of await pidsWith(profile)) {
        try {
          Deno.kill(pid, "SIGKILL"); // only a Chromium started for this test's profile
        } catch { /* gone */ }
      }
    }
  },
});
