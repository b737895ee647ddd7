import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { call, postJson, token, withSandbox } from "./_helpers.ts";

const AUTHORIZE = "/open-apis/authen/v1/authorize";
const TOKEN = "/open-apis/authen/v2/oauth/token";
const USER_INFO = "/open-apis/authen/v1/user_info";
const CALLBACK = "http://127.0.0.1:29090/auth/callback";
const CLIENT = { client_id: DEFAULT_APP_ID, client_secret: DEFAULT_APP_SECRET };

async function approve(url: string, userId: string, scope?: string): Promise<string> {
  const a = await postJson(url + "/__sandbox/meeting/authorize", {
    user_id: userId,
    redirect_uri: CALLBACK,
    state: "s1",
    scope,
  });
  assert.equal(a.body.code, 0, a.text);
  return a.body.data.code;
}

function exchange(url: string, code: string, extra: Record<string, string> = {}) {
  return postJson(url + TOKEN, { grant_type: "authorization_code", ...CLIENT, code, ...extra });
}

function refresh(url: string, refreshToken: string) {
  return postJson(url + TOKEN, { grant_type: "refresh_token", ...CLIENT, refresh_token: refreshToken });
}

Deno.test("oauth: consent page in Chinese; the form redirects with code and state (or access_denied)", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const q = new URLSearchParams({
      client_id: DEFAULT_APP_ID,
      redirect_uri: CALLBACK,
      scope: "offline_access minutes:minutes.media:export",
      state: "xyz",
      response_type: "code",
    });
    const page = await call(`${url}${AUTHORIZE}?${q}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type")!, /text\/html/);
    assert.match(page.text, /授权/);
    assert.match(page.text, /张三/);
    assert.match(page.text, /offline_access/);
    const zhang = meetingFamily(sandbox).directory.users[0];
    const form = new URLSearchParams(q);
    form.delete("response_type");
    form.set("user_id", zhang.openId);
    form.set("decision", "approve");
    const res = await fetch(url + AUTHORIZE, { method: "POST", body: form, redirect: "manual" });
    assert.equal(res.status, 302);
    const back = new URL(res.headers.get("location")!);
    assert.equal(back.origin + back.pathname, CALLBACK);
    assert.equal(back.searchParams.get("state"), "xyz");
    assert.match(back.searchParams.get("code")!, /^[A-Za-z0-9_-]{32,}$/);
    const t = await exchange(url, back.searchParams.get("code")!, { redirect_uri: CALLBACK });
    assert.equal(t.body.code, 0);
    assert.equal(t.body.scope, "offline_access minutes:minutes.media:export");

    form.set("decision", "deny");
    const denied = await fetch(url + AUTHORIZE, { method: "POST", body: form, redirect: "manual" });
    await denied.body?.cancel();
    assert.equal(new URL(denied.headers.get("location")!).searchParams.get("error"), "access_denied");
    const bad = await call(`${url}${AUTHORIZE}?client_id=cli_0000000000000000&redirect_uri=${CALLBACK}`);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /20048/);
    assert.equal(sandbox.journal.count("oauth_authorize"), 2);
    assert.equal(sandbox.journal.count("oauth_consent"), 2);
  });
});

Deno.test("oauth: code → flat token answer; code single use (20065); refresh only with offline_access", async () => {
  await withSandbox({ meeting: { userTokenLifetimeSec: 600 } }, async ({ url, sandbox }) => {
    const zhang = meetingFamily(sandbox).directory.users[0];
    const code = await approve(url, zhang.userId);
    const t = await exchange(url, code);
    assert.equal(t.status, 200);
    assert.equal(t.body.code, 0);
    assert.equal(t.body.data, undefined, "flat, no data envelope");
    assert.match(t.body.access_token, /^eyJ/);
    assert.ok(t.body.access_token.length > 500);
    assert.equal(t.body.expires_in, 600);
    assert.match(t.body.refresh_token, /^eyJ/);
    assert.equal(t.body.refresh_token_expires_in, 604800);
    assert.equal(t.body.token_type, "Bearer");
    assert.match(t.body.scope, /offline_access/);
    const again = await exchange(url, code);
    assert.deepEqual([again.status, again.body.code, again.body.error], [400, 20065, "invalid_grant"]);

    const info = await call(url + USER_INFO, { headers: { authorization: `Bearer ${t.body.access_token}` } });
    assert.equal(info.body.code, 0);
    assert.equal(info.body.data.name, "张三");
    assert.equal(info.body.data.open_id, zhang.openId);
    const tat = await token(url);
    const refused = await call(url + USER_INFO, { headers: { authorization: `Bearer ${tat}` } });
    assert.equal(refused.body.code, 99991663);

    const noOffline = await exchange(url, await approve(url, zhang.userId, "minutes:minutes:readonly"));
    assert.equal(noOffline.body.code, 0);
    assert.equal(noOffline.body.refresh_token, undefined);
    assert.equal(noOffline.body.refresh_token_expires_in, undefined);
  });
});

Deno.test("oauth: x-www-form-urlencoded bodies, wrong secret 20002, bad grant 20036, missing 20001", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const code = await approve(url, meetingFamily(sandbox).directory.users[1].userId);
    const form = new URLSearchParams({ grant_type: "authorization_code", ...CLIENT, code });
    const t = await call(url + TOKEN, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    assert.equal(t.body.code, 0);
    const wrong = await postJson(url + TOKEN, { ...CLIENT, client_secret: "x", grant_type: "refresh_token" });
    assert.deepEqual([wrong.status, wrong.body.code], [400, 20002]);
    assert.equal((await postJson(url + TOKEN, { ...CLIENT, grant_type: "password" })).body.code, 20036);
    assert.equal(
      (await postJson(url + TOKEN, { grant_type: "authorization_code", ...CLIENT })).body.code,
      20001,
    );
    assert.equal((await call(url + TOKEN, { method: "POST", body: "{" })).body.code, 20063);
    const unknown = await exchange(url, "no-such-code");
    assert.equal(unknown.body.code, 20003);
    assert.equal(sandbox.journal.count("oauth_token"), 6);
  });
});

Deno.test("oauth: refresh tokens rotate; the old one is dead at once (20073); old access token still valid", async () => {
  await withSandbox({ meeting: { recordingReadyAfterMs: 0 } }, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const first = await exchange(url, await approve(url, family.directory.users[0].userId));
    const second = await refresh(url, first.body.refresh_token);
    assert.equal(second.body.code, 0);
    assert.notEqual(second.body.refresh_token, first.body.refresh_token);
    assert.notEqual(second.body.access_token, first.body.access_token);
    const reuse = await refresh(url, first.body.refresh_token);
    assert.deepEqual([reuse.status, reuse.body.code, reuse.body.error], [400, 20073, "invalid_grant"]);
    assert.ok(reuse.body.error_description);
    const third = await refresh(url, second.body.refresh_token);
    assert.equal(third.body.code, 0);
    const ended = await family.endMeeting();
    const path = `${url}/open-apis/vc/v1/meetings/${ended.meeting.id}/recording`;
    for (const t of [first, second, third]) {
      assert.equal(
        (await call(path, { headers: { authorization: `Bearer ${t.body.access_token}` } })).body.code,
        0,
      );
    }
    assert.equal((await refresh(url, "eyJunknown")).body.code, 20026);
  });
});

Deno.test("oauth: lifetimes on the sandbox clock — expired code 20004, UAT 99991677, refresh 20037", async () => {
  const clock = new FakeClock(1_768_788_000_000);
  const meeting = { userTokenLifetimeSec: 60, refreshTokenLifetimeSec: 120 };
  await withSandbox({ clock, meeting }, async ({ url, sandbox }) => {
    const userId = meetingFamily(sandbox).directory.users[0].userId;
    const stale = await approve(url, userId);
    await clock.tick(5 * 60_000);
    assert.equal((await exchange(url, stale)).body.code, 20004);
    const t = await exchange(url, await approve(url, userId));
    assert.equal(t.body.expires_in, 60);
    assert.equal(t.body.refresh_token_expires_in, 120);
    await clock.tick(60_000);
    const expired = await call(url + USER_INFO, {
      headers: { authorization: `Bearer ${t.body.access_token}` },
    });
    assert.deepEqual([expired.status, expired.body.code], [400, 99991677]);
    await clock.tick(60_000);
    assert.equal((await refresh(url, t.body.refresh_token)).body.code, 20037);
  });
});

Deno.test("oauth: revoking a user's tokens → 99991668 on APIs and 20064 on refresh", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const [zhang, li] = family.directory.users;
    const a = await exchange(url, await approve(url, zhang.userId));
    const b = await exchange(url, await approve(url, li.userId));
    const r = await postJson(url + "/__sandbox/meeting/user_tokens", {
      action: "revoke",
      user_id: zhang.email,
    });
    assert.equal(r.status, 400, "email is not an id kind");
    const ok = await postJson(url + "/__sandbox/meeting/user_tokens", {
      action: "revoke",
      user_id: zhang.userId,
    });
    assert.equal(ok.body.data.affected, 2);
    const info = await call(url + USER_INFO, { headers: { authorization: `Bearer ${a.body.access_token}` } });
    assert.equal(info.body.code, 99991668);
    assert.equal((await refresh(url, a.body.refresh_token)).body.code, 20064);
    const other = await call(url + USER_INFO, {
      headers: { authorization: `Bearer ${b.body.access_token}` },
    });
    assert.equal(other.body.code, 0, "other users unaffected");
    family.expireUserTokens("access", li.openId);
    const exp = await call(url + USER_INFO, { headers: { authorization: `Bearer ${b.body.access_token}` } });
    assert.equal(exp.body.code, 99991677);
    assert.equal((await refresh(url, b.body.refresh_token)).body.code, 0);
  });
});

Deno.test("oauth: PKCE S256, redirect_uri checks (20071 on exchange, 20029 when not registered)", async () => {
  await withSandbox({ meeting: { redirectUris: [CALLBACK] } }, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const verifier = "v".repeat(43);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    const challenge = btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(
      /=+$/,
      "",
    );
    const user = family.directory.users[0];
    const input = { user_id: user.userId, redirect_uri: CALLBACK, code_challenge: challenge };
    const a = family.authorize({ ...input, code_challenge_method: "S256" });
    assert.ok(a.callback_url.startsWith(CALLBACK + "?code="));
    assert.equal((await exchange(url, a.code, { code_verifier: "w".repeat(43) })).body.code, 20049);
    const b = family.authorize({ ...input, code_challenge_method: "S256" });
    assert.equal((await exchange(url, b.code, { code_verifier: verifier })).body.code, 0);
    const c = family.authorize({ user_id: user.userId, redirect_uri: CALLBACK });
    assert.equal(
      (await exchange(url, c.code, { redirect_uri: "http://127.0.0.1:1/other" })).body.code,
      20071,
    );
    const other = await postJson(url + "/__sandbox/meeting/authorize", {
      user_id: user.userId,
      redirect_uri: "http://evil.example/cb",
    });
    assert.equal(other.status, 400);
    assert.match(other.body.message, /20029/);
  });
});
