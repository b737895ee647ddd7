/**
 * Shared set-up of the export pipeline tests (split over two files so they run
 * in parallel): a fake CLM endpoint with 60 uneven days and one day over the
 * cap, a context, and the assertions on merged files and replayed stage files.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as XLSX from "xlsx";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { createExportContext, resolveExportAuth } from "../../pipelines/export/context.ts";
import { listRunWindows } from "../../pipelines/export/list.ts";
import type { RunExportOptions } from "../../pipelines/export/run.ts";
import { replayWindows } from "../../pipelines/export/replay.ts";
import type { ExportWindow } from "../../pipelines/export/window.ts";
import { curlFor, FakeClm, fakeCollector, makeRecords, pipelineConfigInput } from "./_fake_clm.ts";

/** Rows per delivered file. */
export const CAP = 100;
const START = "2024-01-01";
/** 60 days, uneven, with one day over the cap (130 on 2024-02-10). */
const COUNTS = Array.from(
  { length: 60 },
  (_, i) => (i === 40 ? 130 : [12, 30, 45, 28, 60, 5, 2][i % 7] + (i > 30 ? 15 : 0)),
);
/** Records in all. */
export const TOTAL = COUNTS.reduce((a, b) => a + b, 0);
/** Records past the cap on the over-cap day. */
export const LOST = 130 - CAP;

/** A fake CLM endpoint, a config and a context over a temp run directory. */
export async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "export-pipeline-" });
  const records = makeRecords(START, COUNTS);
  const clm = new FakeClm(records, CAP);
  clm.start();
  const config = ExportConfigSchema.parse(pipelineConfigInput(`${dir}/run`, CAP));
  const curl = curlFor(clm.url);
  const auth = await resolveExportAuth(config, curl);
  const ctx = await createExportContext(config, auth);
  const base = (extra: Partial<RunExportOptions> = {}, collector = fakeCollector(clm)): RunExportOptions => ({
    config,
    client: ctx.api,
    fingerprint: ctx.fingerprint,
    collector: collector.factory,
    ...extra,
  });
  return {
    dir,
    clm,
    records,
    config,
    base,
    runDir: `${dir}/run`,
    close: async () => {
      await clm.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The fields the stage files carry (all but the notice text/time, the change time and attempts). */
function carried(windows: readonly ExportWindow[]) {
  return windows.map((w) => ({
    id: w.id,
    start: w.start,
    end: w.end,
    state: w.state,
    reasonCode: w.reasonCode,
    reason: w.reason,
    declaredTotal: w.declaredTotal,
    taskId: w.taskId,
    requestedAt: w.requestedAt,
    noticeId: w.noticeId,
    filePath: w.filePath,
    rowsInFile: w.rowsInFile,
    sha256: w.sha256,
    parentId: w.parentId,
  })).sort((a, b) => a.id - b.id);
}

/** The run directory's NDJSON files alone rebuild the ledger's window table. */
export async function assertReplayMatchesLedger(runDir: string) {
  const invalid: string[] = [];
  const replayed = await replayWindows(runDir, { onInvalid: (e) => invalid.push(e.message) });
  assert.deepEqual(invalid, [], "every stage line matches its schema");
  assert.deepEqual(carried(replayed), carried(listRunWindows(runDir)));
}

/** The 记录ID column of a merged workbook. */
export function mergedIds(path: string): string[] {
  const wb = XLSX.read(Deno.readFileSync(path), { type: "array", dense: true } as XLSX.ParsingOptions);
  const aoa = XLSX.utils.sheet_to_json<unknown[]>(
    wb.Sheets[wb.SheetNames[0]],
    { header: 1, raw: true } as XLSX.Sheet2JSONOpts,
  );
  assert.equal(aoa[0][0], "记录ID");
  return aoa.slice(1).map((r) => String(r[0]));
}

/** Every record except the ones past the cap on the over-cap day, each exactly once. */
export function assertComplete(ids: string[], records: { id: string }[], lostIds: Set<string>) {
  assert.equal(new Set(ids).size, ids.length, "no duplicates");
  const want = records.map((r) => r.id).filter((id) => !lostIds.has(id));
  assert.deepEqual([...ids].sort(), want.sort(), "nothing missing");
}

/** The records a run cannot get (past the cap on the over-cap day). */
export function lostIds(t: Awaited<ReturnType<typeof setup>>): Set<string> {
  return new Set(t.clm.recordsIn("2024-02-10", "2024-02-10").slice(CAP).map((r) => r.id));
}
