import assert from "node:assert/strict";
import * as XLSX from "xlsx";
import { FakeClock } from "../../lib/testing/mod.ts";
import { DEFAULT_SESSION, type SandboxOptions } from "../../sandbox/mod.ts";
import {
  BOT_NAME,
  COOPERATION_COLUMNS,
  COOPERATION_EXPORT_PATH,
  EXPORT_SHEET_NAME,
  exportFamily,
  formatNoticeText,
  type MessengerMessage,
} from "../../sandbox/scenarios/export/mod.ts";
import { call, postJson, withSandbox } from "./_helpers.ts";

const at = (iso: string) => Date.parse(`${iso}+08:00`);
const range = (start: string, end: string): [number, number] => [
  at(`${start}T00:00:00.000`),
  at(`${end}T23:59:59.999`),
];
const NOW = at("2025-07-01T10:00:00");

function setup(clock: FakeClock, extra: Record<string, unknown> = {}): SandboxOptions {
  return { clock, export: { recordCount: 3000, endDate: "2025-06-30", ...extra } };
}

async function requestExport(
  url: string,
  start: string,
  end: string,
): Promise<{ taskId: string; total: number }> {
  const a = await postJson(url + COOPERATION_EXPORT_PATH, {
    searchCooperationByCreateTime: range(start, end),
  }, {
    cookie: `session=${DEFAULT_SESSION}`,
    "timezone-offset": "-480",
  });
  assert.equal(a.body.code, 0, a.text);
  return a.body.data;
}

/** Log in to the messenger through the QR flow; returns the cookie header. */
async function messengerLogin(url: string): Promise<string> {
  const page = await call(`${url}/messenger/login`);
  const token = /data-login-token="([^"]+)"/.exec(page.text)![1];
  assert.equal((await postJson(`${url}/__sandbox/messenger/scan`, { token })).body.code, 0);
  const res = await fetch(`${url}/messenger/api/login/status?token=${token}`);
  await res.body?.cancel();
  return res.headers.get("set-cookie")!.split(";")[0];
}

async function botMessages(url: string, cookie: string, chatId: string): Promise<MessengerMessage[]> {
  const a = await call(`${url}/messenger/api/chats/${chatId}/messages?limit=500`, { headers: { cookie } });
  assert.equal(a.status, 200, a.text);
  return a.body.data.messages;
}

function readRows(bytes: Uint8Array): { headers: string[]; rows: Record<string, unknown>[]; sheet: string } {
  // SheetJS decorates the array it reads: give it a copy.
  const wb = XLSX.read(
    bytes.slice(),
    { type: "array", dense: true, UTC: true, cellDates: true } as XLSX.ParsingOptions,
  );
  const ws = wb.Sheets[wb.SheetNames[0]];
  const aoa = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1 });
  return {
    headers: aoa[0] as string[],
    rows: XLSX.utils.sheet_to_json<Record<string, unknown>>(ws),
    sheet: wb.SheetNames[0],
  };
}

Deno.test("export delivery: the bot message appears after the delay with the exact text", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(setup(clock), async ({ url, sandbox }) => {
    const family = exportFamily(sandbox.state);
    const cookie = await messengerLogin(url);
    const before = (await botMessages(url, cookie, family.botChatId)).length;
    const { total } = await requestExport(url, "2023-03-01", "2023-03-14");
    await clock.tick(1499);
    assert.equal((await botMessages(url, cookie, family.botChatId)).length, before, "not yet delivered");
    await clock.tick(1);
    const messages = await botMessages(url, cookie, family.botChatId);
    assert.equal(messages.length, before + 1);
    const m = messages.at(-1)!;
    assert.equal(m.text, `协同操作记录导出完成：2023-03-01 至 2023-03-14，共 ${total} 条`);
    assert.equal(m.sender, BOT_NAME);
    assert.equal(m.createTime, NOW + 1500);
    assert.match(m.file!.name, /^协同操作记录_\d{19}\.xlsx$/);
  });
});

Deno.test("export delivery: truncation above 1 000 rows is in the text and the file", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(setup(clock, { deliveryDelayMs: 0 }), async ({ url, sandbox }) => {
    const family = exportFamily(sandbox.state);
    const { total } = await requestExport(url, "2022-01-01", "2025-06-30");
    assert.equal(total, 3000);
    const cookie = await messengerLogin(url);
    const m = (await botMessages(url, cookie, family.botChatId)).at(-1)!;
    assert.equal(
      m.text,
      "协同操作记录导出完成：2022-01-01 至 2025-06-30，共 3000 条，超出单次导出上限 1000 条，文件仅包含前 1000 条",
    );
    assert.equal(m.text, formatNoticeText("2022-01-01", "2025-06-30", 3000));
    const res = await fetch(url + m.file!.url, { headers: { cookie } });
    assert.equal(res.status, 200);
    const { rows, headers, sheet } = readRows(new Uint8Array(await res.arrayBuffer()));
    assert.equal(sheet, EXPORT_SHEET_NAME);
    assert.deepEqual(headers, [...COOPERATION_COLUMNS]);
    assert.equal(rows.length, 1000);
    // The first 1 000 by creation time.
    const expected = family.dataset.take(...range("2022-01-01", "2025-06-30"), 1000);
    assert.deepEqual(rows.map((r) => r["记录ID"]), expected.map((r) => r.id));
  });
});

Deno.test("export delivery: download shape (attachment, RFC 5987 name, date cells in UTC+8)", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(setup(clock, { deliveryDelayMs: 0 }), async ({ url, sandbox }) => {
    const family = exportFamily(sandbox.state);
    const { taskId, total } = await requestExport(url, "2023-05-01", "2023-05-31");
    const cookie = await messengerLogin(url);
    const m = (await botMessages(url, cookie, family.botChatId)).at(-1)!;
    const res = await fetch(url + m.file!.url, { headers: { cookie } });
    assert.equal(
      res.headers.get("content-type"),
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const cd = res.headers.get("content-disposition")!;
    assert.match(cd, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    assert.equal(decodeURIComponent(cd.split("filename*=UTF-8''")[1]), `协同操作记录_${taskId}.xlsx`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(Number(res.headers.get("content-length")), bytes.byteLength);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], "a zip (xlsx) file");
    const { rows } = readRows(bytes);
    assert.equal(rows.length, total);
    const first = family.dataset.take(...range("2023-05-01", "2023-05-31"), 1)[0];
    const created = rows[0]["创建时间"];
    assert.ok(created instanceof Date, "创建时间 is a real date cell");
    // Wall-clock time of UTC+8, stored as the cell's value.
    assert.equal((created as Date).getTime(), first.createTime + 8 * 3600_000);
    assert.ok(rows.every((r) => String(r["创建时间"]) !== ""));
    // Same file twice: deterministic bytes.
    const again = await fetch(url + m.file!.url, { headers: { cookie } });
    assert.deepEqual(new Uint8Array(await again.arrayBuffer()), bytes);
  });
});

Deno.test("export delivery: shuffle reorders concurrent deliveries; slow and lost deliveries", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(setup(clock, { deliveryDelayMs: 1000, shuffleMs: 5000 }), async ({ url, sandbox }) => {
    const family = exportFamily(sandbox.state);
    const months = ["01", "02", "03", "04", "05", "06", "07", "08"];
    for (const m of months) await requestExport(url, `2023-${m}-01`, `2023-${m}-28`);
    await clock.tick(6000);
    const cookie = await messengerLogin(url);
    const notices = (await botMessages(url, cookie, family.botChatId)).filter((m) => m.file);
    assert.equal(notices.length, 8);
    const order = notices.map((m) => /完成：(\d{4}-\d{2})/.exec(m.text)![1]);
    assert.notDeepEqual(order, months.map((m) => `2023-${m}`), "arrived out of order");
    assert.deepEqual([...order].sort(), months.map((m) => `2023-${m}`));

    await postJson(`${url}/__sandbox/export`, { shuffleMs: 0, slowNext: { n: 1, extraMs: 10_000 } });
    await requestExport(url, "2024-01-01", "2024-01-07"); // slow
    await postJson(`${url}/__sandbox/export`, { dropNext: 1 });
    await requestExport(url, "2024-01-08", "2024-01-14"); // dropped
    await requestExport(url, "2024-01-15", "2024-01-21"); // normal
    await clock.tick(1000);
    let texts = (await botMessages(url, cookie, family.botChatId)).map((m) => m.text);
    assert.ok(texts.some((t) => t.includes("2024-01-15")));
    assert.ok(!texts.some((t) => t.includes("2024-01-01")), "slow one not yet");
    await clock.tick(10_000);
    texts = (await botMessages(url, cookie, family.botChatId)).map((m) => m.text);
    assert.ok(texts.some((t) => t.includes("2024-01-01")));
    assert.ok(!texts.some((t) => t.includes("2024-01-08")), "dropped one never arrives");
    const overview = await call(`${url}/__sandbox/export`);
    assert.equal(overview.body.data.tasks.length, 11);
    assert.equal(overview.body.data.tasks[9].deliver_at, null);
  });
});

Deno.test("export delivery: deliverNow and reset", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(setup(clock, { deliveryDelayMs: 60_000 }), async ({ url, sandbox }) => {
    const family = exportFamily(sandbox.state);
    await requestExport(url, "2023-01-01", "2023-01-31");
    const cookie = await messengerLogin(url);
    const n = (await botMessages(url, cookie, family.botChatId)).length;
    assert.equal((await postJson(`${url}/__sandbox/export`, { deliverNow: true })).body.code, 0);
    assert.equal((await botMessages(url, cookie, family.botChatId)).length, n + 1);
    const bad = await postJson(`${url}/__sandbox/export`, { deliveryDelayMs: -1 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /deliveryDelayMs/);
    sandbox.reset();
    assert.equal(family.tasks.length, 0);
    assert.equal(family.deliveryDelayMs, 60_000);
    const gone = await call(`${url}/messenger/api/chats/${family.botChatId}/messages`, {
      headers: { cookie },
    });
    assert.equal(gone.status, 401, "reset logs the messenger out");
  });
});
