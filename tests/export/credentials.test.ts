import assert from "node:assert/strict";
import { stringify as toYaml } from "yaml";
import { BadRequestError } from "../../lib/errors/bad_request_error.ts";
import { ExportConfigSchema } from "../../pipelines/export/config.ts";
import { createExportContext, resolveExportAuth } from "../../pipelines/export/context.ts";
import { main } from "../../scripts/export.ts";
import { curlFor } from "./_fake_clm.ts";

const LIST = "/clm/api/cooperation/searchList";

function listCurl(base: string, cookie?: string): string {
  return `curl '${base}${LIST}' \\
  -H 'content-type: application/json' \\
  ${cookie ? `-b '${cookie}' \\` : "\\"}
  --data-raw '{"searchCooperationByCreateTime":[1,2],"pageSize":20}'`;
}

function exportCurl(base: string, cookie: string): string {
  return curlFor(base).replace("session=good; lark_oapi_csrf_token=csrf-1", cookie);
}

const configOf = (auth: Record<string, unknown> = {}) =>
  ExportConfigSchema.parse({ range: { start: "2024-01-01", end: "2024-01-31" }, auth });

async function refused(p: Promise<unknown>, hint: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (e) => e);
  assert.ok(e instanceof BadRequestError, `expected BadRequestError, got ${e}`);
  assert.match(e.hint, hint);
}

Deno.test("credentials: a cURL for a non-contract host is refused up front, export or count", async () => {
  await refused(
    resolveExportAuth(configOf(), curlFor("https://evil.example")),
    /请求发往 evil\.example，不是飞书合同地址（contract\.feishu\.cn、contract\.larksuite\.com）/,
  );
  await refused(
    resolveExportAuth(configOf(), curlFor("https://contract.feishu.cn.evil.example")),
    /不是飞书合同地址/,
  );
  await refused(resolveExportAuth(configOf(), curlFor("http://contract.feishu.cn")), /不是 https/);
  await refused(
    resolveExportAuth(
      configOf(),
      curlFor("https://contract.feishu.cn"),
      listCurl("https://evil.example", "s=1"),
    ),
    /count\.curl 中的请求发往 evil\.example/,
  );
  // The configured base_url host (here also with a stranger in the cURL) is what decides.
  await refused(
    resolveExportAuth(configOf({ base_url: "https://contract.feishu.cn" }), curlFor("https://evil.example")),
    /不是飞书合同地址/,
  );
});

Deno.test("credentials: Feishu and Lark contract hosts, base_url, allowed_hosts and loopback are accepted", async () => {
  for (
    const base of ["https://contract.feishu.cn", "https://contract.larksuite.com", "http://127.0.0.1:18080"]
  ) {
    assert.equal((await resolveExportAuth(configOf(), curlFor(base))).baseUrl, base);
  }
  const priv = await resolveExportAuth(
    configOf({ allowed_hosts: ["contract.corp.example"] }),
    curlFor("https://contract.corp.example"),
  );
  assert.equal(priv.baseUrl, "https://contract.corp.example");
  const sandbox = await resolveExportAuth(
    configOf({ base_url: "http://sandbox.test:8080" }),
    curlFor("http://sandbox.test:8080"),
  );
  assert.equal(sandbox.baseUrl, "http://sandbox.test:8080");
});

Deno.test("credentials: when the config and the cURL both carry a host or cookie, a note says which is used", async () => {
  const both = await resolveExportAuth(
    configOf({ base_url: "http://127.0.0.1:18080", cookie: "session=fromconfig" }),
    exportCurl("https://contract.feishu.cn", "session=fromcurl"),
  );
  assert.equal(both.baseUrl, "http://127.0.0.1:18080");
  assert.equal(both.cookie, "session=fromconfig");
  const notes = both.notes.join("\n");
  assert.match(
    notes,
    /配置 auth\.base_url（http:\/\/127\.0\.0\.1:18080）与 cURL 中的地址（https:\/\/contract\.feishu\.cn）不同，使用配置的/,
  );
  assert.match(notes, /Cookie：配置 auth\.cookie.*都有，使用配置中的；cURL 中的 Cookie 未使用/);
  assert.doesNotMatch(notes, /fromconfig|fromcurl/, "notes carry no secret");
  const same = await resolveExportAuth(
    configOf({ base_url: "https://contract.feishu.cn", cookie: "session=x" }),
    exportCurl("https://contract.feishu.cn", "session=x"),
  );
  assert.match(same.notes.join("\n"), /地址相同/);
  assert.match(same.notes.join("\n"), /Cookie 相同/);
  const curlOnly = await resolveExportAuth(configOf(), curlFor("https://contract.feishu.cn"));
  assert.doesNotMatch(curlOnly.notes.join("\n"), /请求地址：|Cookie：/, "nothing to choose, nothing said");
});

Deno.test("credentials: the export's cookie never goes to a count host that differs", async () => {
  const sent: { host: string; cookie: string | null }[] = [];
  const fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    sent.push({ host: url.host, cookie: new Headers(init?.headers).get("cookie") });
    return Promise.resolve(Response.json({ code: 0, data: { total: 5 } }));
  }) as typeof globalThis.fetch;
  const config = configOf();
  const auth = await resolveExportAuth(
    config,
    exportCurl("https://contract.feishu.cn", "session=EXPORT"),
    listCurl("https://contract.larksuite.com", "session=COUNT"),
  );
  assert.equal(auth.cookie, "session=EXPORT");
  assert.equal(auth.count?.baseUrl, "https://contract.larksuite.com");
  assert.equal(auth.count?.cookie, "session=COUNT");
  assert.match(auth.notes.join("\n"), /计数请求发往 https:\/\/contract\.larksuite\.com，与导出地址 .* 不同/);
  const ctx = await createExportContext(config, auth, { fetch });
  await ctx.counter!.countRecords({ start: "2024-01-01", end: "2024-01-07" });
  assert.deepEqual(sent, [{ host: "contract.larksuite.com", cookie: "session=COUNT" }]);

  // A count capture without a cookie on another host: counting is off (never the export's cookie).
  const noCookie = await resolveExportAuth(
    config,
    exportCurl("https://contract.feishu.cn", "session=EXPORT"),
    listCurl("https://contract.larksuite.com"),
  );
  assert.equal(noCookie.count, undefined);
  assert.match(noCookie.notes.join("\n"), /本次不做计数查询/);
  assert.doesNotMatch(noCookie.notes.join("\n"), /计数查询已启用/);
  // And the other way round: a count cookie for another host is not the export's cookie.
  await assert.rejects(
    resolveExportAuth(config, undefined, listCurl("https://contract.larksuite.com", "session=COUNT")),
    (e) => e instanceof Error && /缺少合同系统的登录 Cookie/.test((e as { hint?: string }).hint ?? ""),
  );
  // The same host shares the export's cookie, as before.
  const same = await resolveExportAuth(
    config,
    exportCurl("https://contract.feishu.cn", "session=EXPORT"),
    listCurl("https://contract.feishu.cn", "session=COUNT"),
  );
  assert.equal(same.count?.cookie, "session=EXPORT");
});

Deno.test("export CLI: a --curl for a foreign host exits 2 with a Chinese message; nothing written, nothing sent", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-cred-" });
  const log = console.log, error = console.error;
  const err: string[] = [];
  console.log = () => {};
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    await Deno.writeTextFile(`${dir}/curl.txt`, curlFor("https://evil.example"));
    await Deno.writeTextFile(
      `${dir}/export.yaml`,
      toYaml({ retry: { max_retries: 0 }, http: { connect_timeout_ms: 200, total_timeout_ms: 200 } }),
    );
    const code = await main([
      "--config",
      `${dir}/export.yaml`,
      "--curl",
      `${dir}/curl.txt`,
      "-o",
      `${dir}/run`,
    ]);
    assert.equal(code, 2);
    const text = err.join("\n");
    assert.match(text, /evil\.example，不是飞书合同地址/);
    assert.doesNotMatch(text, /--allow-net|run again|重试/);
    await assert.rejects(Deno.stat(`${dir}/run`), Deno.errors.NotFound);
  } finally {
    console.log = log;
    console.error = error;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("credentials: a --curl path that is a directory says so", async () => {
  const dir = await Deno.makeTempDir({ prefix: "export-cred-dir-" });
  try {
    const e = await resolveExportAuth(configOf({ curl: dir })).then(() => undefined, (e) => e);
    assert.match((e as { hint?: string })?.hint ?? "", /不是文件（是目录）/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
