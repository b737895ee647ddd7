/**
 * Shared fixtures of the end-to-end export tests: an in-process sandbox with a
 * small cooperation-record data set (one day over the 1,000-row cap), a config
 * file pointing the real CLI at it, a "phone" that scans each QR code once the
 * CLI has saved it, and readers for the merged workbook and the window files.
 *
 * @module
 */
import { waitFor as sharedWaitFor } from "../../lib/testing/wait_for.ts";
import assert from "node:assert/strict";
import { stringify as toYaml } from "yaml";
import * as XLSX from "xlsx";
import { type ExportFamily, exportFamily } from "../../sandbox/scenarios/export/mod.ts";
import { createSandbox, DEFAULT_SESSION } from "../../sandbox/mod.ts";

/** The export range (and the data set's range). */
export const RANGE = { start: "2024-01-01", end: "2024-03-31" } as const;
/** Rows one export holds. */
export const CAP = 1000;

/** A sandbox whose data set is ~4,000 records over three months with one day over the cap. */
export async function startSandbox(o: { records?: number; deliveryDelayMs?: number } = {}) {
  const sandbox = createSandbox({
    export: {
      recordCount: o.records ?? 4000,
      startDate: RANGE.start,
      endDate: RANGE.end,
      spikeDays: 1,
      deliveryDelayMs: o.deliveryDelayMs ?? 200,
      messengerPollMs: 250,
    },
  });
  const server = await sandbox.listen();
  const family = exportFamily(sandbox.state);
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const overcap = family.dataset.daysOver(CAP);
  assert.equal(overcap.length, 1, "the data set has exactly one day over the cap");
  let scanner: ReturnType<typeof setInterval> | undefined;
  return {
    sandbox,
    family,
    url: server.url,
    /** Export calls that reached the sandbox (refused ones included). */
    exportCalls: () => sandbox.journal.count("cooperation_export"),
    /**
     * Stand in for the phone: each time the CLI saves a new QR code PNG at `qrPath`, "scan" it.
     * (Like a person, only once the code is shown: scanning while the CLI is still capturing the
     * code makes the page navigate mid-screenshot, and puppeteer's element screenshot in
     * lib/browser/screenshot.ts can then hang forever.)
     */
    phone(qrPath: string) {
      let seen: number | null | undefined;
      clearInterval(scanner);
      scanner = setInterval(() => {
        let mtime: number | null = null;
        try {
          mtime = Deno.statSync(qrPath).mtime?.getTime() ?? null;
        } catch { /* not shown yet */ }
        if (mtime !== null && mtime !== seen) {
          if (family.messenger.scan().length > 0) seen = mtime;
        }
      }, 100);
    },
    async close() {
      clearInterval(scanner);
      await server.close();
    },
  };
}

/** Write the run's config (loopback sandbox, headless Chromium, profile and output in `dir`). */
export async function writeConfig(
  dir: string,
  url: string,
): Promise<{ path: string; runDir: string; qrPath: string }> {
  const runDir = `${dir}/run`;
  const qrPath = `${dir}/login_qr.png`;
  const path = `${dir}/export.yaml`;
  await Deno.writeTextFile(
    path,
    toYaml({
      range: { ...RANGE },
      auth: { cookie: `session=${DEFAULT_SESSION}`, base_url: url },
      rate_limit: { global_qpm: 1200, export_qpm: 600 },
      retry: { max_retries: 2, base_ms: 100, cap_ms: 500 },
      output: { dir: runDir },
      collector: { kind: "browser", poll_interval_sec: 0.3, delivery_timeout_sec: 60 },
      messenger: {
        url: `${url}/messenger/`,
        profile_dir: `${dir}/chromium-profile`,
        headless: true,
        qr_save_path: qrPath,
        login_timeout_sec: 60,
      },
      verify: { required_columns: ["记录ID"], window_date_column: "创建时间" },
    }),
  );
  return { path, runDir, qrPath };
}

/**
 * What a complete run must merge, straight from the data set: every record of
 * the range, except those past the first `CAP` (by creation time) of a day over
 * the cap. `lost` is how many such records there are.
 */
export function expectedIds(family: ExportFamily): { ids: Set<string>; total: number; lost: number } {
  const ds = family.dataset;
  const ids = new Set<string>();
  let total = 0;
  let lost = 0;
  for (let day = ds.startDay; day <= ds.endDay; day++) {
    const records = ds.recordsOfDay(day);
    total += records.length;
    lost += Math.max(0, records.length - CAP);
    for (const r of records.slice(0, CAP)) ids.add(r.id);
  }
  assert.equal(total, ds.recordCount);
  return { ids, total, lost };
}

/** Header row and data rows of the first sheet of an xlsx file. */
export function readSheet(path: string): { headers: string[]; rows: unknown[][] } {
  const wb = XLSX.read(Deno.readFileSync(path), { type: "array", dense: true } as XLSX.ParsingOptions);
  const aoa = XLSX.utils.sheet_to_json<unknown[]>(
    wb.Sheets[wb.SheetNames[0]],
    { header: 1, raw: true, defval: null } as XLSX.Sheet2JSONOpts,
  );
  return { headers: (aoa[0] ?? []).map(String), rows: aoa.slice(1) };
}

/** The `记录ID` column of the merged workbook, in file order. */
export function mergedIds(path: string): string[] {
  const { headers, rows } = readSheet(path);
  const col = headers.indexOf("记录ID");
  assert.ok(col >= 0, `merged header has 记录ID: ${headers.join(",")}`);
  return rows.map((r) => String(r[col]));
}

/** Assert the merged ids are exactly the expected set, each once. */
export function assertSameRecords(ids: string[], want: Set<string>): void {
  const got = new Set(ids);
  assert.equal(got.size, ids.length, `no duplicate 记录ID (${ids.length - got.size} duplicates)`);
  const missing = [...want].filter((id) => !got.has(id));
  const extra = [...got].filter((id) => !want.has(id));
  assert.deepEqual(
    { missing: missing.slice(0, 5), extra: extra.slice(0, 5), missingCount: missing.length },
    { missing: [], extra: [], missingCount: 0 },
  );
  assert.equal(ids.length, want.size);
}

/** Run `fn` with console.log/console.error captured (still the real console for everything else). */
export async function captured<T>(fn: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.map(String).join(" "));
  console.error = (...a: unknown[]) => void err.push(a.map(String).join(" "));
  try {
    const value = await fn();
    return { value, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** Window files (`*.xlsx`) in the run's `windows/` folder. */
export function windowFiles(runDir: string): string[] {
  try {
    return [...Deno.readDirSync(`${runDir}/windows`)].filter((e) => e.isFile && e.name.endsWith(".xlsx"))
      .map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** Pids of processes whose command line names `needle` (e.g. a Chromium profile dir), from `ps`. */
export async function pidsWith(needle: string): Promise<number[]> {
  const { stdout } = await new Deno.Command("ps", { args: ["-eo", "pid=,args="], stdout: "piped" }).output();
  return new TextDecoder().decode(stdout).split("\n").filter((l) => l.includes(needle))
    .map((l) => Number(l.trim().split(/\s+/)[0])).filter((pid) => pid > 0 && pid !== Deno.pid);
}

/** Poll `fn` until it returns a value (not undefined), or fail after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const found = await sharedWaitFor(async () => {
    const v = await fn();
    return v === undefined ? undefined : { v };
  }, { timeoutMs, intervalMs: 25, what });
  return found.v;
}

/** A temp dir removed by `using`. */
export async function tempDir(prefix: string): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}
