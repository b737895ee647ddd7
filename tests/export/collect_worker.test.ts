/**
 * The collect stage in its restricted Worker: the grants, a refused read or
 * write outside them coming back as a typed error, and a whole export whose
 * files the Open API collector fetches from inside the Worker (net: the
 * sandbox host only).
 */
import assert from "node:assert/strict";
import { createLogger } from "../../lib/log/logger.ts";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { WorkerPermissionError } from "../../lib/worker/worker_permission_error.ts";
import { runStageWorker } from "../../lib/worker/run_stage_worker.ts";
import type { CollectorSpec, CollectWorkerStart } from "../../pipelines/export/_collect_worker.ts";
import { collectStageInWorker, collectWorkerGrants } from "../../pipelines/export/collect_worker.ts";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { createExportContext, resolveExportAuth } from "../../pipelines/export/context.ts";
import { ExportLedger } from "../../pipelines/export/ledger.ts";
import { parsePort } from "../../pipelines/export/parse_files.ts";
import { resolvePlanOptions } from "../../pipelines/export/plan.ts";
import { requestStageInWorker } from "../../pipelines/export/request_worker.ts";
import { runExport } from "../../pipelines/export/run.ts";
import { readStageLog } from "../../pipelines/export/stage_log.ts";
import { createSandbox, DEFAULT_SESSION } from "../../sandbox/mod.ts";
import { DEFAULT_EXPORT_USER_TOKEN, exportFamily } from "../../sandbox/scenarios/export/mod.ts";

const OPENAPI: CollectorSpec = {
  kind: "openapi",
  baseUrl: "https://open.feishu.cn",
  chatId: "oc_bot",
  userToken: "u-token",
};

Deno.test("collect worker grants: the browser's file, its profile, the run dir and the QR folder; Open API: its host", () => {
  const browser: CollectorSpec = {
    kind: "browser",
    options: {
      messengerUrl: "https://www.feishu.cn/messenger/",
      profileDir: "/home/u/.config/feishu-kit/chromium-profile",
      qrSavePath: "/home/u/out/login_qr.png",
      browser: { path: "/opt/chromium/chrome", source: "installed", label: "chromium", headlessOnly: false },
    },
  };
  assert.deepEqual(collectWorkerGrants(browser, "/home/u/out/export"), {
    run: ["/opt/chromium/chrome"],
    read: [
      "/opt/chromium",
      "/home/u/.config/feishu-kit/chromium-profile",
      "/home/u/out/export",
      "/home/u/out",
    ],
    write: ["/home/u/.config/feishu-kit/chromium-profile", "/home/u/out/export", "/home/u/out"],
    env: true,
  });
  assert.deepEqual(collectWorkerGrants(OPENAPI, "/run"), {
    net: ["open.feishu.cn"],
    read: ["/run"],
    write: ["/run"],
  });
});

Deno.test("collect worker: reading or writing outside its grants is refused → WorkerPermissionError", async () => {
  const granted = await Deno.makeTempDir({ prefix: "collect-granted-" });
  const outside = await Deno.makeTempDir({ prefix: "collect-outside-" });
  try {
    // One requested window waits for its file, so the stage prepares its folders.
    const ledger = ExportLedger.open(`${granted}/ledger.sqlite`);
    const w = ledger.insert({ start: "2024-01-01", end: "2024-01-07" });
    ledger.update(w.id, { state: "requested", taskId: "t1", requestedAt: Date.now() });
    ledger.close();
    const plan = resolvePlanOptions({ start: "2024-01-01", end: "2024-01-31" });
    // (The test process may reach loopback only: a worker cannot be granted more.)
    const spec: CollectorSpec = { ...OPENAPI, baseUrl: "http://127.0.0.1:9" };
    const attempt = (runDir: string, downloadDir: string) => {
      const parser = parsePort([granted]);
      return runStageWorker<CollectWorkerStart, unknown, unknown>(
        new URL("../../pipelines/export/_collect_worker.ts", import.meta.url),
        collectWorkerGrants(spec, granted),
        {
          runDir,
          stage: { filesDir: `${granted}/windows`, downloadDir, fileTemplate: "{start}-{end}.xlsx", plan },
          collector: spec,
          parsePort: parser.port,
        },
        { transfer: [parser.port] },
      ).finally(() => parser.close());
    };
    // The ledger of another directory.
    const ledgerElsewhere = await attempt(outside, `${granted}/downloads`).catch((e) => e);
    assert.ok(ledgerElsewhere instanceof WorkerPermissionError, String(ledgerElsewhere));
    assert.equal(ledgerElsewhere.kind, "permission");
    assert.ok(ledgerElsewhere.message.includes(outside), ledgerElsewhere.message);
    assert.match(ledgerElsewhere.userMessage(), /权限受限的 Worker/);
    // A download folder outside the run directory.
    const downloadsElsewhere = await attempt(granted, `${outside}/downloads`).catch((e) => e);
    assert.ok(downloadsElsewhere instanceof WorkerPermissionError, String(downloadsElsewhere));
    assert.ok(downloadsElsewhere.message.includes(outside), downloadsElsewhere.message);
    assert.deepEqual([...Deno.readDirSync(outside)], [], "nothing was written outside");
  } finally {
    await Deno.remove(granted, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("export with the Open API collector in its Worker (net: the sandbox only): merged and verified", async () => {
  const sandbox = createSandbox({
    export: {
      recordCount: 1500,
      startDate: "2024-01-01",
      endDate: "2024-01-31",
      deliveryDelayMs: 50,
      imUserTokenReads: true,
    },
  });
  const server = await sandbox.listen();
  const family = exportFamily(sandbox.state);
  const dir = await Deno.makeTempDir({ prefix: "collect-worker-openapi-" });
  try {
    const runDir = `${dir}/run`;
    const config = ExportConfigSchema.parse({
      range: { start: "2024-01-01", end: "2024-01-31" },
      auth: { cookie: `session=${DEFAULT_SESSION}`, base_url: server.url },
      rate_limit: { global_qpm: 1200, export_qpm: 600 },
      output: { dir: runDir },
      collector: { kind: "openapi", poll_interval_sec: 0.1, delivery_timeout_sec: 30 },
      openapi: { base_url: server.url, chat_id: family.botChatId },
      verify: { required_columns: ["记录ID"], window_date_column: "创建时间" },
    });
    const auth = await resolveExportAuth(config);
    const ctx = await createExportContext(config, auth);
    const r = await runExport({
      config,
      client: ctx.api,
      fingerprint: ctx.fingerprint,
      requestStage: requestStageInWorker({ config, auth, runDir }),
      collectStage: collectStageInWorker({ config, runDir, userToken: DEFAULT_EXPORT_USER_TOKEN }),
    });
    assert.equal(r.status, "done", r.message);
    assert.ok(r.mergedPath && (await Deno.stat(r.mergedPath)).size > 0);
    assert.equal(r.verify?.totals.mergedRows, 1500);
    // The Worker appended collect.ndjson: one download per exported leaf window.
    const leaves = family.tasks.length;
    const downloads = (await readStageLog(runDir, "collect")).filter((x) => x.type === "download");
    assert.equal(downloads.length, leaves);
    assert.equal(sandbox.journal.count("im_message_resource"), leaves);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("collect worker: log lines come back, and the stop signal ends a stage that is waiting for notices", async () => {
  const sandbox = createSandbox({ export: { recordCount: 100, imUserTokenReads: true } });
  const server = await sandbox.listen();
  const family = exportFamily(sandbox.state);
  const runDir = await Deno.makeTempDir({ prefix: "collect-worker-stop-" });
  const ledger = ExportLedger.open(`${runDir}/ledger.sqlite`);
  try {
    // Requested, but the sandbox never had this export: no notice will come.
    const w = ledger.insert({ start: "2024-01-01", end: "2024-01-07" });
    ledger.update(w.id, { state: "requested", taskId: "t-none", requestedAt: Date.now() });
    const config = ExportConfigSchema.parse({
      output: { dir: runDir },
      collector: { kind: "openapi", poll_interval_sec: 0.05, delivery_timeout_sec: 600 },
      openapi: { base_url: server.url, chat_id: family.botChatId },
      log: { level: "debug" },
    });
    const lines: { event: string }[] = [];
    const stop = new AbortController();
    const t0 = Date.now();
    const running = collectStageInWorker({ config, runDir, userToken: DEFAULT_EXPORT_USER_TOKEN })({
      ledger,
      filesDir: `${runDir}/windows`,
      downloadDir: `${runDir}/downloads`,
      fileTemplate: "{start}-{end}.xlsx",
      plan: resolvePlanOptions({ start: "2024-01-01", end: "2024-01-31" }),
      pollIntervalMs: 50,
      deliveryTimeoutMs: 600_000,
      signal: stop.signal,
      logger: createLogger({ level: "debug", sinks: [{ write: (r) => void lines.push(r) }] }),
    });
    await waitFor(() => sandbox.journal.count("im_message_list") >= 2 || undefined, {
      timeoutMs: 20_000,
      what: "the worker polls the chat",
    });
    stop.abort(new DOMException("interrupted", "AbortError"));
    const result = await running;
    assert.equal(result.aborted, true);
    assert.ok(Date.now() - t0 < 20_000);
    assert.ok(lines.some((l) => l.event === "http"), "the worker's HTTP log lines reached this logger");
    assert.equal(ledger.get(w.id)?.state, "requested", "stopping changes nothing");
  } finally {
    ledger.close();
    await server.close();
    await Deno.remove(runDir, { recursive: true });
  }
});
