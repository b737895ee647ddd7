/**
 * Browser logins of lib/user_auth (the meeting archiver's 「授权开启」 flow,
 * generic): the state bound to the browser by a cookie, the user known only
 * once they authorized, caps and rate limits, the onAuthorized hook, denial
 * and expiry, and a session store created before browser logins existed.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { DEFAULT_APP_ID } from "../../sandbox/mod.ts";
import { UserAuthStore } from "../../lib/user_auth/mod.ts";
import { setup } from "./_setup.ts";

type Setup = Awaited<ReturnType<typeof setup>>;

/** Open the start page as a browser (with `cookie`, if any): its link, the cookie it set, the status. */
async function start(t: Setup, cookie?: string) {
  const r = await fetch(`${t.baseUrl}/auth/start`, { headers: cookie ? { cookie } : {} });
  const html = await r.text();
  const href = /<a href="([^"]+)">去授权<\/a>/.exec(html)?.[1];
  const authorizeUrl = href?.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  const setCookie = r.headers.get("set-cookie") ?? "";
  return { status: r.status, authorizeUrl, setCookie, cookie: setCookie.split(";")[0], headers: r.headers };
}

Deno.test("browser login: the opener authorizes, tokens saved under their id, onAuthorized told, state single use", async () => {
  const seen: string[] = [];
  const t = await setup({
    browserLogin: { appId: DEFAULT_APP_ID },
    onAuthorized: (done) => (seen.push(done.userId), 7),
    pages: { success: (done, after) => `<p>${done.user.name} ok ${after}</p>` },
  });
  try {
    const s = await start(t);
    assert.equal(s.status, 200);
    assert.match(s.setCookie, /^fk_oauth=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
    assert.equal(s.headers.get("cache-control"), "no-store");
    assert.equal(s.headers.get("referrer-policy"), "no-referrer");
    assert.ok(s.authorizeUrl, "the start page links to Feishu's authorize page");
    const q = new URL(s.authorizeUrl).searchParams;
    assert.equal(q.get("code_challenge_method"), "S256");
    assert.ok(q.get("scope")!.split(" ").includes("offline_access"));
    assert.equal(t.service.pendingCount(DEFAULT_APP_ID), 1);

    const callback = t.approve(s.authorizeUrl);
    const page = await fetch(callback, { headers: { cookie: s.cookie } });
    assert.equal(page.status, 200);
    assert.equal(await page.text(), `<p>${t.user.name} ok 7</p>`);
    assert.deepEqual(seen, [t.user.openId]);
    assert.equal(await t.tokens.userStatus(DEFAULT_APP_ID, t.user.openId), "authorized");
    const [session] = t.store.list(DEFAULT_APP_ID, t.user.openId);
    assert.equal(session.method, "browser");
    assert.equal(session.status, "completed");
    assert.equal(t.service.pendingCount(DEFAULT_APP_ID), 0);

    const replay = await fetch(callback, { headers: { cookie: s.cookie } });
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /已使用过/);
    assert.deepEqual(seen, [t.user.openId], "onAuthorized runs once");

    // The same browser keeps its binding on the next start.
    assert.equal((await start(t, s.cookie)).cookie, s.cookie);
  } finally {
    await t.close();
  }
});

Deno.test("browser login: a callback in another browser (other cookie, none) is refused, nothing saved", async () => {
  const t = await setup({
    browserLogin: {
      appId: DEFAULT_APP_ID,
      userIdType: "user_id",
      scopes: ["contact:user.employee_id:readonly"],
    },
  });
  try {
    for (const other of [`fk_oauth=${"x".repeat(43)}`, ""]) {
      const s = await start(t);
      const r = await fetch(t.approve(s.authorizeUrl!, t.user.userId), {
        headers: other ? { cookie: other } : {},
      });
      assert.equal(r.status, 400);
      assert.match(await r.text(), /同一浏览器/);
    }
    assert.equal(await t.tokens.userStatus(DEFAULT_APP_ID, t.user.userId), "not_authorized");
    // With its own cookie: saved under the tenant user_id, as asked (the page's scopes asked for it).
    const s = await start(t);
    assert.ok(
      new URL(s.authorizeUrl!).searchParams.get("scope")!.includes("contact:user.employee_id:readonly"),
    );
    const ok = await fetch(t.approve(s.authorizeUrl!, t.user.userId), { headers: { cookie: s.cookie } });
    assert.equal(ok.status, 200, await ok.text());
    assert.equal(await t.tokens.userStatus(DEFAULT_APP_ID, t.user.userId), "authorized");
  } finally {
    await t.close();
  }
});

Deno.test("browser login: pending logins capped (503), starts rate-limited (429) until the minute passes", async () => {
  const t = await setup({ browserLogin: { appId: DEFAULT_APP_ID, maxPending: 2, startsPerMinute: 100 } });
  try {
    assert.deepEqual([(await start(t)).status, (await start(t)).status], [200, 200]);
    const full = await start(t);
    assert.equal(full.status, 503);
    assert.equal(full.setCookie, "", "no binding, no session beyond the cap");
    assert.equal(full.headers.get("retry-after"), "60");
    assert.equal(t.service.pendingCount(DEFAULT_APP_ID), 2);
    await t.clock.tick(600_001);
    assert.equal(t.service.pendingCount(DEFAULT_APP_ID), 0, "expired logins no longer count");
    assert.equal((await start(t)).status, 200);
  } finally {
    await t.close();
  }
  const r = await setup({ browserLogin: { appId: DEFAULT_APP_ID, startsPerMinute: 3 } });
  try {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await start(r)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    await r.clock.tick(60_001);
    assert.equal((await start(r)).status, 200);
  } finally {
    await r.close();
  }
});

Deno.test("browser login: denial answers 403 whatever the state; expiry tells nobody; a failing hook still shows success", async () => {
  const t = await setup({
    browserLogin: { appId: DEFAULT_APP_ID },
    onAuthorized: () => {
      throw new Error("hook broke");
    },
  });
  try {
    const forged = await fetch(`${t.baseUrl}/auth/callback?error=access_denied&state=forged`);
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /拒绝授权/);
    const s = await start(t);
    const state = new URL(s.authorizeUrl!).searchParams.get("state")!;
    const denied = await fetch(`${t.baseUrl}/auth/callback?error=access_denied&state=${state}`, {
      headers: { cookie: s.cookie },
    });
    assert.equal(denied.status, 403);
    await denied.body?.cancel();

    const late = await start(t);
    await t.clock.tick(600_001);
    const swept = await t.service.sweepExpired({ reprompt: true });
    assert.equal(swept.expired.length, 1);
    assert.deepEqual(swept.reprompted, [], "a browser login has nobody to re-prompt");
    assert.equal(t.family.sentMessages.length, 0, "and nobody to message");
    const expired = await fetch(t.approve(late.authorizeUrl!), { headers: { cookie: late.cookie } });
    assert.equal(expired.status, 400);
    assert.match(await expired.text(), /已过期/);

    const ok = await start(t);
    const page = await fetch(t.approve(ok.authorizeUrl!), { headers: { cookie: ok.cookie } });
    assert.equal(page.status, 200, "the tokens are saved even though the hook failed");
    assert.match(await page.text(), /授权成功/);
  } finally {
    await t.close();
  }
});

Deno.test("UserAuthStore: a store from before browser logins gains the binding column; old browser logins pruned", async () => {
  const dir = await Deno.makeTempDir({ prefix: "user_auth_old_" });
  try {
    const old = new DatabaseSync(`${dir}/core.db`);
    old.exec(
      `CREATE TABLE user_auth_sessions (id TEXT PRIMARY KEY, app_id TEXT NOT NULL, user_id TEXT NOT NULL,
      user_id_type TEXT NOT NULL, method TEXT NOT NULL, status TEXT NOT NULL, state_hash TEXT NOT NULL UNIQUE,
      verifier TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, finished_at INTEGER,
      error TEXT, message_id TEXT)`,
    );
    old.close();
    let now = 1_000_000;
    const clock = { now: () => now };
    const store = new UserAuthStore(`${dir}/core.db`, { clock: clock as never });
    const again = new UserAuthStore(`${dir}/core.db`, { clock: clock as never });
    const common = { appId: "cli_x", userId: "", userIdType: "open_id" as const, ttlMs: 600_000 };
    const b = await store.create({ ...common, method: "browser", browserHash: "h" });
    const card = await store.create({ ...common, userId: "ou_1", method: "card" });
    const taken = await again.consume(b.state);
    assert.ok(typeof taken !== "string");
    assert.equal(taken.browserHash, "h");
    await store.create({ ...common, method: "browser", browserHash: "h2" });
    now += 2 * 86_400_000;
    assert.equal(store.prune(86_400_000), 2, "the finished and the abandoned browser login");
    assert.equal(store.get(card.session.id)?.status, "pending", "a pending card waits for its expiry notice");
    store.close();
    again.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
