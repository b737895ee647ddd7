import assert from "node:assert/strict";
import { parseCurl } from "../../lib/clm/curl_parse.ts";
import { loadConfig } from "../../lib/config/load_config.ts";
import { ConfigError } from "../../lib/errors/config_error.ts";
import { COOPERATION_SEARCH_PATH } from "../../sandbox/scenarios/export/endpoints.ts";
import { DEFAULT_SESSION } from "../../sandbox/mod.ts";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { createExportContext, resolveExportAuth } from "../../pipelines/export/context.ts";
import { CountingExportApi } from "../../pipelines/export/count_context.ts";
import { countClientOf } from "../../pipelines/export/request.ts";
import { curlFor } from "./_fake_clm.ts";

const LIST = "/clm/api/cooperation/whateverTheBrowserCalls";

function listCurl(base: string, cookie = "session=good"): string {
  return `curl '${base}${LIST}?lang=zh' \\
  -H 'content-type: application/json;charset=UTF-8' \\
  -b '${cookie}' \\
  -H 'x-csrf-token: csrf-1' \\
  --data-raw '{"keyword":"","searchTabEnumCode":0,"searchCooperationByCreateTime":[1,2],"pageNum":1,"pageSize":20}'`;
}

// The fake hosts below stand for a private deployment: listed in auth.allowed_hosts.
const configOf = (extra: Record<string, unknown> = {}) =>
  ExportConfigSchema.parse({
    range: { start: "2024-01-01", end: "2024-01-31" },
    ...extra,
    auth: { allowed_hosts: ["c.example", "contract.example"], ...extra.auth as object },
  });

Deno.test("count config: defaults, and an empty count.curl means no count source", async () => {
  const config = configOf();
  assert.deepEqual(config.count, {
    curl: "",
    total_path: "data.total",
    range_field: "searchCooperationByCreateTime",
    page_size_field: "pageSize",
    count_qpm: 60,
  });
  const auth = await resolveExportAuth(config, curlFor("https://contract.example"));
  assert.equal(auth.count, undefined);
  const ctx = await createExportContext(config, auth);
  assert.equal(ctx.counter, undefined);
  assert.ok(!(ctx.api instanceof CountingExportApi));
  assert.equal(countClientOf(ctx.api), undefined, "the request stage plans without counts");
});

Deno.test("count config: the captured list request is read, and the export client then counts", async () => {
  const config = configOf({ filters: { keyword: "采购" } });
  const plain = await createExportContext(
    config,
    await resolveExportAuth(config, curlFor("https://c.example")),
  );
  const auth = await resolveExportAuth(config, curlFor("https://c.example"), listCurl("https://c.example"));
  assert.ok(auth.count);
  assert.equal(auth.count.path, LIST);
  assert.deepEqual(auth.count.query, { lang: "zh" });
  assert.equal(auth.count.baseUrl, "https://c.example");
  assert.equal(auth.count.headers["x-csrf-token"], "csrf-1");
  assert.equal(auth.count.headers.cookie, undefined, "the cookie goes through cookieAuth");
  assert.ok(auth.notes.some((n) => n.includes(`计数查询已启用：列表请求 ${LIST}`)));
  const ctx = await createExportContext(config, auth);
  assert.ok(ctx.api instanceof CountingExportApi);
  assert.equal(countClientOf(ctx.api), ctx.api);
  assert.equal(ctx.fingerprint, plain.fingerprint, "counting does not change what a run selects");
  const body = ctx.counter!.bodyFor({ start: "2024-01-02", end: "2024-01-02" });
  assert.equal(body.keyword, "采购", "the export's filters");
  assert.equal(body.pageSize, 1);
  assert.deepEqual(body.searchCooperationByCreateTime, [
    Date.parse("2024-01-02T00:00:00+08:00"),
    Date.parse("2024-01-02T23:59:59.999+08:00"),
  ]);
  // auth.base_url wins over the captured host; the cmd form is read too.
  const cmd =
    `curl "https://c.example${LIST}" ^\n  -H "content-type: application/json" ^\n  -b "session=good" ^\n` +
    `  --data-raw "{^\\"searchCooperationByCreateTime^\\":[1,2],^\\"pageSize^\\":20}"`;
  const sandboxed = await resolveExportAuth(
    configOf({ auth: { base_url: "http://127.0.0.1:9" } }),
    curlFor("https://c.example"),
    cmd,
  );
  assert.equal(sandboxed.count!.baseUrl, "http://127.0.0.1:9");
  assert.deepEqual(sandboxed.count!.bodyTemplate, { searchCooperationByCreateTime: [1, 2], pageSize: 20 });
});

Deno.test("count config: the list request's cookie is used only when nothing else has one", async () => {
  // Only a list request, for the default export host: its cookie serves both.
  const alone = await resolveExportAuth(
    configOf(),
    undefined,
    listCurl("https://contract.feishu.cn", "session=fromlist"),
  );
  assert.equal(alone.cookie, "session=fromlist");
  const both = await resolveExportAuth(
    configOf(),
    curlFor("https://c.example"),
    listCurl("https://c.example", "session=fromlist"),
  );
  assert.match(both.cookie, /^session=good/, "the export's cookie is shared by the counts");
});

Deno.test("count config: wrong captures are refused with Chinese hints", async () => {
  const config = configOf();
  const exportCurl = curlFor("https://c.example");
  await assert.rejects(
    resolveExportAuth(config, exportCurl, exportCurl),
    (e) => e instanceof ConfigError && /复制的是导出请求/.test(e.hint) && /count\.curl/.test(e.hint),
  );
  await assert.rejects(
    resolveExportAuth(config, exportCurl, `curl 'https://c.example${LIST}?page=1' -b 'session=good'`),
    (e) => e instanceof ConfigError && /没有 JSON 请求体/.test(e.hint),
  );
  await assert.rejects(
    resolveExportAuth(configOf({ count: { curl: "/nonexistent/count-curl.txt" } }), exportCurl),
    (e) => e instanceof ConfigError && /无法读取计数 cURL 文件/.test(e.hint),
  );
  await assert.rejects(
    loadConfig(ExportConfigSchema, { overrides: { "count.count_qpm": 0 } }),
    (e) => e instanceof ConfigError && /count_qpm/.test(e.hint),
  );
});

Deno.test("count config: the sandbox config counts through its sample list request", async () => {
  const { config, warnings } = await loadConfig(ExportConfigSchema, {
    file: "config/export.sandbox.yaml",
    getEnv: () => undefined,
  });
  assert.deepEqual(warnings, []);
  assert.equal(config.count.curl, "config/export.sandbox.count-curl.txt");
  const curl = parseCurl(await Deno.readTextFile(config.count.curl));
  assert.equal(curl.shell, "bash");
  assert.equal(curl.path, COOPERATION_SEARCH_PATH);
  assert.equal(curl.origin, "http://127.0.0.1:18080");
  assert.equal(curl.cookies.session, DEFAULT_SESSION);
  const auth = await resolveExportAuth(config);
  assert.equal(auth.count?.path, COOPERATION_SEARCH_PATH);
  assert.equal(auth.count?.baseUrl, "http://127.0.0.1:18080");
  const text = await Deno.readTextFile("config/export.example.yaml");
  assert.match(text, /^count:\n/m);
  assert.match(text, /浏览器实际调用/, "the example says the list path is the browser's");
});
