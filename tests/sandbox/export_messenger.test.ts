import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/mod.ts";
import { BOT_NAME, exportFamily, MESSENGER_COOKIE } from "../../sandbox/scenarios/export/mod.ts";
import { call, postJson, withSandbox } from "./_helpers.ts";

const NOW = Date.parse("2025-07-01T10:00:00+08:00");
const options = (clock: FakeClock) => ({ clock, export: { recordCount: 3000, endDate: "2025-06-30" } });

function manual(url: string, cookie?: string): Promise<Response> {
  return fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
}

Deno.test("messenger: QR login page, scan through the control endpoint, persistent cookie", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(options(clock), async ({ url, sandbox }) => {
    const root = await manual(`${url}/messenger/`);
    await root.body?.cancel();
    assert.equal(root.status, 302);
    assert.equal(new URL(root.headers.get("location")!, url).pathname, "/messenger/login");

    const page = await call(`${url}/messenger/login?redirect=${encodeURIComponent("/messenger/chats")}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /请使用飞书 App 扫码登录/);
    assert.match(page.text, /<svg[^>]*>/);
    const token = /class="login-qr" data-login-token="(qr_[0-9a-f]+)"/.exec(page.text)![1];

    const pending = await call(`${url}/__sandbox/messenger`);
    assert.deepEqual(pending.body.data.pending_logins.map((p: { token: string }) => p.token), [token]);
    const waiting = await call(`${url}/messenger/api/login/status?token=${token}`);
    assert.equal(waiting.body.data.status, "waiting");
    assert.equal(waiting.headers.get("set-cookie"), null);

    assert.equal((await postJson(`${url}/__sandbox/messenger/scan`, { token: "qr_nope" })).status, 404);
    const scanned = await postJson(`${url}/__sandbox/messenger/scan`, {});
    assert.deepEqual(scanned.body.data.scanned, [token]);
    const confirmed = await fetch(`${url}/messenger/api/login/status?token=${token}`);
    assert.equal((await confirmed.json()).data.status, "confirmed");
    const setCookie = confirmed.headers.get("set-cookie")!;
    assert.match(
      setCookie,
      new RegExp(`^${MESSENGER_COOKIE}=ms_[0-9a-f]+; Max-Age=2592000; Path=/; HttpOnly`),
    );
    const cookie = setCookie.split(";")[0];
    // A code turns into a session only once.
    assert.equal(
      (await call(`${url}/messenger/api/login/status?token=${token}`)).body.data.status,
      "expired",
    );

    const chats = await call(`${url}/messenger/chats`, { headers: { cookie } });
    assert.equal(chats.status, 200);
    const names = [...chats.text.matchAll(/data-chat-name="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(names[0], BOT_NAME);
    assert.ok(names.length >= 2);
    const botChat = exportFamily(sandbox.state).botChatId;
    assert.match(chats.text, new RegExp(`href="/messenger/chats/${botChat}"`));
    const chat = await call(`${url}/messenger/chats/${botChat}`, { headers: { cookie } });
    assert.match(chat.text, /class="message-list"/);
    assert.match(chat.text, /class="chat-title"[^>]*>飞书合同</);
    const loginAgain = await manual(`${url}/messenger/login`, cookie);
    await loginAgain.body?.cancel();
    assert.equal(loginAgain.status, 302, "already logged in");
  });
});

Deno.test("messenger: QR codes expire; the page then shows a new one", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(options(clock), async ({ url }) => {
    const page = await call(`${url}/messenger/login`);
    const token = /data-login-token="([^"]+)"/.exec(page.text)![1];
    await clock.tick(180_000);
    assert.equal(
      (await call(`${url}/messenger/api/login/status?token=${token}`)).body.data.status,
      "expired",
    );
    assert.equal((await postJson(`${url}/__sandbox/messenger/scan`, { token })).status, 404);
    const next = await call(`${url}/messenger/login`);
    assert.notEqual(/data-login-token="([^"]+)"/.exec(next.text)![1], token);
  });
});

Deno.test("messenger: logout (session expiry) sends pages, APIs and downloads to the login", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(options(clock), async ({ url, sandbox }) => {
    const family = exportFamily(sandbox.state);
    const code = family.messenger.newCode();
    family.messenger.scan(code.token);
    const session = family.messenger.poll(code.token).session!;
    const cookie = `${MESSENGER_COOKIE}=${session}`;
    const api = `${url}/messenger/api/chats/${family.botChatId}/messages`;
    assert.equal((await call(api, { headers: { cookie } })).status, 200);

    const out = await postJson(`${url}/__sandbox/messenger/logout`, {});
    assert.equal(out.body.data.logged_out, 1);
    const refused = await call(api, { headers: { cookie } });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.message, "登录已失效，请重新扫码登录");
    const page = await manual(`${url}/messenger/chats/${family.botChatId}`, cookie);
    await page.body?.cancel();
    assert.equal(page.status, 302);
    assert.match(page.headers.get("location")!, /^\/messenger\/login\?redirect=%2Fmessenger%2Fchats%2Foc_/);
    const file = await fetch(`${url}/messenger/api/messages/om_x/file`, {
      redirect: "manual",
      headers: { cookie, accept: "text/html" },
    });
    await file.body?.cancel();
    assert.equal(file.status, 302, "a download navigation lands on the login page");
  });
});

Deno.test("messenger: sessions also expire by age", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(
    { clock, export: { recordCount: 3000, endDate: "2025-06-30", messengerSessionTtlMs: 60_000 } },
    async ({ url, sandbox }) => {
      const family = exportFamily(sandbox.state);
      const code = family.messenger.newCode();
      family.messenger.scan(code.token);
      const cookie = `${MESSENGER_COOKIE}=${family.messenger.poll(code.token).session}`;
      assert.equal((await call(`${url}/messenger/api/chats`, { headers: { cookie } })).status, 200);
      await clock.tick(60_000);
      assert.equal((await call(`${url}/messenger/api/chats`, { headers: { cookie } })).status, 401);
    },
  );
});

Deno.test("messenger: older messages page by index behind 加载更多", async () => {
  const clock = new FakeClock(NOW);
  await withSandbox(
    { clock, export: { recordCount: 3000, endDate: "2025-06-30", deliveryDelayMs: 0, messengerPageSize: 3 } },
    async ({ url, sandbox }) => {
      const family = exportFamily(sandbox.state);
      for (let i = 1; i <= 5; i++) {
        family.requestExport({
          fromMs: Date.parse(`2023-0${i}-01T00:00:00+08:00`),
          toMs: Date.parse(`2023-0${i}-02T23:59:59.999+08:00`),
          tzOffset: -480,
          keyword: "",
        });
        await clock.tick(1);
      }
      const code = family.messenger.newCode();
      family.messenger.scan(code.token);
      const cookie = `${MESSENGER_COOKIE}=${family.messenger.poll(code.token).session}`;
      const api = `${url}/messenger/api/chats/${family.botChatId}/messages`;
      const latest = (await call(api, { headers: { cookie } })).body.data;
      assert.equal(latest.messages.length, 3);
      assert.equal(latest.hasMore, true);
      const older =
        (await call(`${api}?before=${latest.messages[0].index}`, { headers: { cookie } })).body.data;
      assert.equal(older.messages.length, 3);
      assert.equal(older.messages.at(-1).index, latest.messages[0].index - 1);
      const cursor = latest.cursor;
      family.requestExport({ fromMs: 0, toMs: 1, tzOffset: -480, keyword: "" });
      await clock.tick(1);
      const fresh = (await call(`${api}?after=${cursor}`, { headers: { cookie } })).body.data;
      assert.equal(fresh.messages.length, 1);
      assert.match(fresh.messages[0].text, /1970-01-01 至 1970-01-01，共 0 条$/);
    },
  );
});
