/** A whole run with exact counts against the sandbox (list + export endpoints, IM API collector). */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { DEFAULT_EXPORT_USER_TOKEN, exportFamily } from "../../sandbox/scenarios/export/mod.ts";
import { createSandbox, DEFAULT_SESSION } from "../../sandbox/mod.ts";
import { OpenApiCollector } from "../../pipelines/export/collect_openapi.ts";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { createExportContext, resolveExportAuth } from "../../pipelines/export/context.ts";
import { formatSummary } from "../../pipelines/export/report.ts";
import { runExport } from "../../pipelines/export/run.ts";

Deno.test("pipeline with counts: exports ≈ the minimum, counts reported apart, an idle re-run", async () => {
  const sandbox = createSandbox({
    export: {
      recordCount: 9000,
      startDate: "2024-01-01",
      endDate: "2024-03-31",
      spikeDays: 1,
      deliveryDelayMs: 0,
      // The Open API collector reads with a user token: UNCONFIRMED on Feishu, so the flag.
      imUserTokenReads: true,
    },
  });
  const server = await sandbox.listen();
  const family = exportFamily(sandbox.state);
  const dir = await Deno.makeTempDir({ prefix: "export-count-run-" });
  try {
    const config = ExportConfigSchema.parse({
      range: { start: "2024-01-01", end: "2024-03-31" },
      auth: { cookie: `session=${DEFAULT_SESSION}`, base_url: server.url },
      // The sample list request (127.0.0.1:18080); auth.base_url sends it to this sandbox.
      count: { curl: "config/export.sandbox.count-curl.txt", count_qpm: 60_000 },
      rate_limit: { export_qpm: 60_000, global_qpm: 60_000 },
      retry: { max_retries: 1, base_ms: 5, cap_ms: 20 },
      collector: { kind: "openapi", poll_interval_sec: 0.02, delivery_timeout_sec: 10 },
      output: { dir: `${dir}/run` },
      verify: { required_columns: ["记录ID"], window_date_column: "创建时间" },
    });
    const auth = await resolveExportAuth(config);
    const ctx = await createExportContext(config, auth);
    const collector = () =>
      Promise.resolve(
        new OpenApiCollector({
          http: new LarkHttp({ baseUrl: server.url }),
          auth: staticAuth("user:test", { Authorization: `Bearer ${DEFAULT_EXPORT_USER_TOKEN}` }),
          chatId: family.botChatId,
        }),
      );
    const run = () => runExport({ config, client: ctx.api, fingerprint: ctx.fingerprint, collector });
    const r = await run();
    assert.equal(r.status, "done", r.message);
    const spike = family.dataset.daysOver(1000);
    assert.equal(spike.length, 1);
    const exports = sandbox.journal.count("cooperation_export");
    const counts = sandbox.journal.count("cooperation_search");
    assert.equal(r.summary.exportCalls, exports);
    assert.equal(r.summary.countCalls, counts);
    assert.ok(counts > 0);
    assert.equal(r.summary.states.split, 0, "no export hit the cap");
    assert.equal(r.summary.minimumCalls, 9);
    assert.ok(exports <= Math.ceil(9 * 1.15) + 1, `${exports} export calls`); // + the day over the cap
    assert.deepEqual(r.summary.overcapDays, [`${spike[0].date}（${spike[0].count} 条）`]);
    assert.equal(r.verify?.totals.mergedRows, 9000 - (spike[0].count - 1000));
    const line = `导出调用 ${exports} 次，计数查询 ${counts} 次（按声明条数的最少次数 9）`;
    assert.ok(formatSummary(r.summary).includes(line), formatSummary(r.summary).join("\n"));
    assert.match(await Deno.readTextFile(r.reportPath), new RegExp(line.replace(/[()（）]/g, ".")));
    const logged = (await Deno.readTextFile(`${dir}/run/count.ndjson`)).trim().split("\n");
    assert.equal(logged.length, counts, "one count.ndjson line per count query");

    const again = await run();
    assert.equal(again.status, "done", again.message);
    assert.equal(sandbox.journal.count("cooperation_export"), exports, "no new export");
    assert.equal(sandbox.journal.count("cooperation_search"), counts, "no new count query");
    assert.equal(again.summary.countCalls, counts, "counted over the whole run");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
