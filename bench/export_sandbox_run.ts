/**
 * The whole bulk export against the sandbox, through the real CLI: a
 * `deno run scripts/export.ts` child process (the permissions of
 * `deno task export`, output in a temp dir) drives headless Chromium against
 * a sandbox served by this process on 127.0.0.1 (80,000 seeded records over
 * 2022-01-01..today with uneven density and a few days over the 1,000-row
 * cap); this process also "scans" the messenger QR code once it is saved.
 *
 * Prints wall time (with a per-stage split from the run's own logs), export
 * calls against the minimum ceil(records / 1,000), rows merged, the peak RSS
 * of the export process, and — when a delivery delay is set — how long a
 * delivery was pending.
 *
 * With `--counts` the run also gets the sandbox's list request as its count
 * source (`count.curl`, like `config/export.sandbox.yaml`): windows are then
 * planned from exact counts; count queries are reported apart from exports.
 *
 * Run: `deno run -A bench/export_sandbox_run.ts [--records N] [--delay MS] [--export-qpm N] [--counts] [--keep]`
 * (defaults: 80,000 records, delivery delay 0, 600 export calls per minute, no count source).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { stringify as toYaml } from "yaml";
import { exportFamily } from "../sandbox/scenarios/export/mod.ts";
import { createSandbox, DEFAULT_SESSION } from "../sandbox/mod.ts";

const { values: v } = parseArgs({
  args: Deno.args,
  options: {
    records: { type: "string", default: "80000" },
    delay: { type: "string", default: "0" },
    "export-qpm": { type: "string", default: "600" },
    counts: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const records = Number(v.records);
const delayMs = Number(v.delay);
const exportQpm = Number(v["export-qpm"]);
if (!(Number.isInteger(records) && records > 0) || !(delayMs >= 0) || !(exportQpm > 0)) {
  console.error(
    "usage: deno run -A bench/export_sandbox_run.ts [--records N] [--delay MS] [--export-qpm N] [--counts] [--keep]",
  );
  Deno.exit(2);
}

const ROOT = new URL("../", import.meta.url).pathname;
const CAP = 1000;
const sandbox = createSandbox({ export: { recordCount: records, deliveryDelayMs: delayMs } });
const server = await sandbox.listen();
const family = exportFamily(sandbox.state);
const range = { start: family.dataset.startDate, end: family.dataset.endDate };
const dir = await Deno.makeTempDir({ prefix: "export-sandbox-run-" });
const runDir = `${dir}/run`;
const qrPath = `${dir}/login_qr.png`;
const configPath = `${dir}/export.yaml`;
const countCurl = `${dir}/count-curl.txt`;
if (v.counts) {
  const template = await Deno.readTextFile(`${ROOT}config/export.sandbox.count-curl.txt`);
  await Deno.writeTextFile(countCurl, template.replaceAll("http://127.0.0.1:18080", server.url));
}
await Deno.writeTextFile(
  configPath,
  toYaml({
    range,
    auth: { cookie: `session=${DEFAULT_SESSION}`, base_url: server.url },
    ...(v.counts ? { count: { curl: countCurl, count_qpm: 6000 } } : {}),
    rate_limit: { global_qpm: Math.max(12_000, exportQpm * 2), export_qpm: exportQpm },
    retry: { max_retries: 3, base_ms: 200, cap_ms: 2000 },
    output: { dir: runDir },
    collector: { kind: "browser", poll_interval_sec: 0.25, delivery_timeout_sec: 300 },
    messenger: {
      url: `${server.url}/messenger/`,
      profile_dir: `${dir}/chromium-profile`,
      headless: true,
      qr_save_path: qrPath,
    },
  }),
);

// The phone: scan each QR code once the CLI has saved it as PNG.
let seenQr: number | undefined;
const scanner = setInterval(() => {
  try {
    const mtime = Deno.statSync(qrPath).mtime?.getTime();
    if (mtime !== undefined && mtime !== seenQr && family.messenger.scan().length > 0) seenQr = mtime;
  } catch { /* not saved yet */ }
}, 100);

const overcap = family.dataset.daysOver(CAP);
console.log(
  `sandbox ${server.url}: ${records} records ${range.start}..${range.end}, ` +
    `${overcap.length} day(s) over ${CAP} (${overcap.map((d) => `${d.date}: ${d.count}`).join(", ")}), ` +
    `delivery delay ${delayMs} ms, export pacing ${exportQpm}/min, ` +
    (v.counts ? "exact counts from the list request" : "no count source (density learned from exports)"),
);

const t0 = Date.now();
const child = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--v8-flags=--max-semi-space-size=4",
    "--allow-net=127.0.0.1,localhost",
    "--allow-read",
    // As `deno task export`; writes go to the temp dir, plus .state/browser where the
    // npm-shipped Chromium is unpacked when no browser is installed (lib/browser findBrowser).
    `--allow-write=${dir},.state/browser`,
    "--allow-env",
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
let peakRssKb = 0;
const sampler = setInterval(() => {
  try {
    const m = Deno.readTextFileSync(`/proc/${child.pid}/status`).match(/^VmHWM:\s+(\d+) kB/m);
    if (m) peakRssKb = Math.max(peakRssKb, Number(m[1]));
  } catch { /* exited */ }
}, 100);
const out = await child.output();
const wallMs = Date.now() - t0;
clearInterval(sampler);
clearInterval(scanner);
await server.close();

const text = new TextDecoder().decode(out.stdout);
const err = new TextDecoder().decode(out.stderr);
const readJson = async (path: string) => JSON.parse(await Deno.readTextFile(path).catch(() => "null"));
const ndjson = async (path: string) =>
  (await Deno.readTextFile(path).catch(() => "")).split("\n").filter((l) => l.trim()).map((l) =>
    JSON.parse(l)
  );
const verify = await readJson(`${runDir}/verify.json`);
const merge = await readJson(`${runDir}/merge.json`);
const requests = await ndjson(`${runDir}/request.ndjson`);
const collects = await ndjson(`${runDir}/collect.ndjson`);

const calls = sandbox.journal.count("cooperation_export");
const accepted = family.tasks.length;
const countCalls = sandbox.journal.count("cooperation_search");
const minimum = Math.ceil(records / CAP);
const ms = (iso: string | undefined) => (iso ? Date.parse(iso) - t0 : NaN);
const lastRequest = ms(requests.at(-1)?.at);
const lastDownload = ms(collects.filter((c) => c.type === "download").at(-1)?.at);
const mergeStart = ms(merge?.at);
const verifyDone = ms(verify?.at);
const s = (x: number) => (Number.isFinite(x) ? `${(x / 1000).toFixed(1)} s` : "—");

console.log(`\nexit code ${out.code}${out.code === 0 ? "" : `\n${text}\n${err}`}`);
console.log(`wall time (spawn → exit)       ${s(wallMs)}`);
console.log(
  `  stages from the run's logs:   exports done ${s(lastRequest)}, last file downloaded ${
    s(lastDownload)
  }, ` +
    `merge started ${s(mergeStart)}, verified ${s(verifyDone)}, exited ${s(wallMs)}`,
);
console.log(
  `export calls                   ${calls} (accepted ${accepted}); minimum ceil(${records}/${CAP}) = ${minimum}; ` +
    `ratio ${(calls / minimum).toFixed(3)} (goal ≤ 1.15)` + (v.counts ? `; count queries ${countCalls}` : ""),
);
console.log(
  `rows merged                    ${verify?.totals?.mergedRows ?? "—"} ` +
    `(declared ${verify?.totals?.declared ?? "—"}, lost to days over the cap ${
      verify?.totals?.missingOvercap ?? "—"
    }, ` +
    `duplicates removed ${verify?.totals?.duplicates ?? "—"}); verification ${verify?.status ?? "—"}`,
);
console.log(`peak RSS of the export process ${(peakRssKb / 1024).toFixed(0)} MB (Chromium not included)`);
if (delayMs > 0) {
  // Time during which at least one export was requested but not yet delivered (union of intervals).
  const spans = family.tasks.filter((t) => t.deliverAt !== null).map((t) => [t.requestedAt, t.deliverAt!])
    .sort((a, b) => a[0] - b[0]);
  let pending = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (a > end) {
      pending += b - a;
      end = b;
    } else if (b > end) {
      pending += b - end;
      end = b;
    }
  }
  const afterRequests = Math.max(0, Math.max(...spans.map((x) => x[1])) - (t0 + lastRequest));
  console.log(
    `delivery delay                 ${delayMs} ms per export: a delivery was pending for ${
      s(pending)
    } in total ` +
      `(overlapping the export calls); after the last export call the run waited ≤ ${s(afterRequests)} ` +
      `for the last delivery; wall time minus that ≈ ${s(wallMs - afterRequests)}`,
  );
}
const summary = text.split("\n").filter((l) => /^(导出调用|飞书声明|窗口：|注意：|本次耗时)/.test(l));
if (summary.length) console.log(`\nCLI summary:\n  ${summary.join("\n  ")}`);
if (v.keep) console.log(`\nrun directory kept: ${runDir}`);
else await Deno.remove(dir, { recursive: true }).catch(() => {});
Deno.exit(out.code === 0 ? 0 : 1);
