/** The Open API collector without a browser: card notices, file pairing, names, bad files. */
import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { LarkError } from "../../lib/errors/mod.ts";
import { LarkHttp } from "../../lib/http/mod.ts";
import { createSandbox } from "../../sandbox/mod.ts";
import { DEFAULT_EXPORT_USER_TOKEN, exportFamily } from "../../sandbox/scenarios/export/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { OpenApiCollector } from "../../pipelines/export/collect_openapi.ts";
import { dispositionFileName } from "../../lib/http/content_disposition.ts";
import { safeFileName } from "../../pipelines/export/_collect_files.ts";

const auth = staticAuth("user:test", { Authorization: `Bearer ${DEFAULT_EXPORT_USER_TOKEN}` });
const XLSX_HEAD = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);

Deno.test("OpenApiCollector: card notices from the sandbox, paired with their file messages", async () => {
  const clock = new FakeClock(Date.parse("2025-07-01T10:00:00+08:00"));
  const sandbox = createSandbox({
    clock,
    // The collector reads with a user token: UNCONFIRMED on Feishu, so the sandbox needs the flag.
    export: {
      recordCount: 3000,
      endDate: "2025-06-30",
      deliveryDelayMs: 0,
      noticeMsgType: "interactive",
      imUserTokenReads: true,
    },
  });
  const family = exportFamily(sandbox.state);
  family.requestExport({
    fromMs: Date.parse("2023-03-01T00:00:00+08:00"),
    toMs: Date.parse("2023-03-07T23:59:59.999+08:00"),
    tzOffset: -480,
    keyword: "",
  });
  const server = await sandbox.listen();
  const dir = await Deno.makeTempDir();
  try {
    const api = new OpenApiCollector({
      http: new LarkHttp({ baseUrl: server.url }),
      auth,
      chatId: family.botChatId,
    });
    const notices = await api.listNotices(clock.now() - 1000);
    assert.equal(notices.length, 1);
    const t = family.tasks[0];
    assert.equal(notices[0].messageId, t.noticeMessageId);
    assert.deepEqual(notices[0].range, { start: "2023-03-01", end: "2023-03-07" });
    assert.equal(notices[0].total, t.total);
    assert.equal(notices[0].truncated, false);
    const { path, bytes } = await api.download(notices[0], dir);
    assert.ok(path.endsWith(t.fileName));
    assert.equal((await Deno.stat(path)).size, bytes);
    assert.equal(sandbox.journal.count("im_message_resource"), 1);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/** A fake Open Platform: one page of messages, and files by message id. */
function fakeFetch(
  items: unknown[],
  files: Record<string, { body: Uint8Array<ArrayBuffer>; disposition?: string }>,
) {
  return (input: string | URL | Request): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const m = /\/messages\/([^/]+)\/resources\//.exec(url.pathname);
    if (m) {
      const f = files[m[1]];
      const headers: Record<string, string> = { "content-type": "application/octet-stream" };
      if (f.disposition) headers["content-disposition"] = f.disposition;
      return Promise.resolve(new Response(f.body, { headers }));
    }
    const start = Number(url.searchParams.get("start_time"));
    const visible = items.filter((i) => Number((i as { create_time: string }).create_time) >= start * 1000);
    return Promise.resolve(
      Response.json({ code: 0, msg: "success", data: { has_more: false, items: visible } }),
    );
  };
}

const text = (id: string, t: number, body: string) => ({
  message_id: id,
  msg_type: "text",
  create_time: String(t),
  body: { content: JSON.stringify({ text: body }) },
});
const file = (id: string, t: number, key: string, name: string, parent?: string) => ({
  message_id: id,
  msg_type: "file",
  create_time: String(t),
  ...(parent ? { parent_id: parent } : {}),
  body: { content: JSON.stringify({ file_key: key, file_name: name }) },
});

Deno.test("OpenApiCollector: files without parent_id pair in order, even across `since`", async () => {
  const T = 1_750_000_000_000;
  const notice = (d: string, n: number) => `协同操作记录导出完成：${d} 至 ${d}，共 ${n} 条`;
  const items = [
    text("om_0", T + 100, notice("2023-01-01", 5)), // just before `since`
    file("om_f0", T + 100, "file_0", "a0.xlsx"),
    text("om_1", T + 2000, notice("2023-01-02", 6)),
    text("om_x", T + 2100, "合同 HT-1 已归档"),
    file("om_f1", T + 2200, "file_1", "a1.xlsx"),
    {
      ...text("om_2", T + 3000, ""),
      body: { content: JSON.stringify({ text: notice("2023-01-03", 7), file_key: "file_2" }) },
    },
  ];
  const files = {
    om_f1: {
      body: XLSX_HEAD,
      disposition: `attachment; filename="x.xlsx"; filename*=UTF-8''${encodeURIComponent("协同_1.xlsx")}`,
    },
    om_2: { body: XLSX_HEAD },
    om_f0: { body: new TextEncoder().encode("<html>login</html>") },
  };
  const http = new LarkHttp({
    baseUrl: "http://127.0.0.1:9",
    fetch: fakeFetch(items, files) as typeof fetch,
  });
  const api = new OpenApiCollector({ http, auth, chatId: "oc_x", pageSize: 10 });
  const dir = await Deno.makeTempDir();
  try {
    const notices = await api.listNotices(T + 1000);
    assert.deepEqual(notices.map((n) => n.messageId), ["om_1", "om_2"]);
    assert.deepEqual(notices.map((n) => n.total), [6, 7]);
    const one = await api.download(notices[0], dir);
    assert.ok(one.path.endsWith("/协同_1.xlsx"), one.path);
    const two = await api.download(notices[1], dir);
    assert.ok(two.path.endsWith("/om_2.xlsx"), "falls back to the message id");
    // The notice before `since` got its own file (not om_1's); a non-xlsx body is refused and removed.
    const zero = (await api.listNotices(T))[0];
    assert.equal(zero.messageId, "om_0");
    const err = await api.download(zero, dir).catch((e) => e);
    assert.ok(err instanceof LarkError);
    assert.equal(err.retryable, true);
    assert.match(err.hint, /不是有效的 xlsx/);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["om_2.xlsx", "协同_1.xlsx"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("collector file names: RFC 5987 first, plain name, unsafe characters", () => {
  assert.equal(
    dispositionFileName(`attachment; filename="a.xlsx"; filename*=UTF-8''%E5%8D%8F%E5%90%8C.xlsx`),
    "协同.xlsx",
  );
  assert.equal(dispositionFileName(`attachment; filename="plain name.xlsx"`), "plain name.xlsx");
  assert.equal(dispositionFileName("attachment; filename=bare.xlsx"), "bare.xlsx");
  assert.equal(dispositionFileName(null), undefined);
  assert.equal(safeFileName("../../etc/passwd", "x"), "passwd");
  assert.equal(safeFileName('a:b*c?"d".xlsx', "x"), "a_b_c__d_.xlsx");
  assert.equal(safeFileName("...", "fallback.xlsx"), "fallback.xlsx");
  assert.equal(safeFileName(undefined, "fallback.xlsx"), "fallback.xlsx");
});
