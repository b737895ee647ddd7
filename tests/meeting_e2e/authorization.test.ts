/**
 * Users without a usable login: a red card with the /auth/start link, the
 * jobs wait, and authorizing (sandbox authorize control + GET /auth/callback)
 * back-fills every waiting job at once. Also the callback's error pages and
 * the keep-alive of idle logins.
 */
import assert from "node:assert/strict";
import { DEFAULT_APP_ID } from "../../sandbox/mod.ts";
import {
  approveAuthorization,
  authorize,
  cardsTo,
  filesUnder,
  jobInState,
  until,
  withHarness,
} from "./_harness.ts";

Deno.test("e2e: never authorized → one red card → authorize → both waiting jobs are back-filled", async () => {
  await withHarness({}, async (h) => {
    const li = h.family.directory.users[1];
    assert.equal(li.name, "李四");
    const a = await h.family.endMeeting({ topic: "需求评审", owner_user_id: li.userId });
    const b = await h.family.endMeeting({ topic: "复盘会", owner_user_id: li.userId });
    const ja = await jobInState(h, String(a.meeting.id), "waiting_authorization");
    await jobInState(h, String(b.meeting.id), "waiting_authorization");
    assert.match(ja.reason, /尚未授权/);
    assert.equal(h.sandbox.journal.count("vc_recording"), 0, "no API call without a login");

    const red = await until(() => cardsTo(h, li.userId)[0], "red card");
    assert.equal(red.template, "red");
    assert.equal(red.title, "需要授权才能归档会议录制");
    assert.ok(red.json.includes(`"url":"${h.serviceUrl}/auth/start"`), "the button opens /auth/start");
    assert.equal(red.message.receiveIdType, "open_id");
    assert.equal(red.message.receiveId, li.openId);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(cardsTo(h, li.userId).length, 1, "one red card per waiting spell, not per job");

    const page = await authorize(h, li.userId);
    assert.equal(page.status, 200);
    assert.match(page.html, /李四，授权成功/);
    assert.match(page.html, /有 2 个等待授权的会议录制已开始补传/);
    assert.equal(await h.service.clients.tokens.userStatus(DEFAULT_APP_ID, li.userId), "authorized");

    await jobInState(h, String(a.meeting.id), "done");
    await jobInState(h, String(b.meeting.id), "done");
    const files = await filesUnder(`${h.nasRoot}/${li.userId}`);
    assert.equal(files.length, 2);
    assert.ok(files.some((f) => f.startsWith("李四_需求评审_")));
    assert.ok(files.some((f) => f.startsWith("李四_复盘会_")));
    await until(() => cardsTo(h, li.userId).length === 3, "two green cards after the red one");
    assert.deepEqual(cardsTo(h, li.userId).map((c) => c.template), ["red", "green", "green"]);
  });
});

Deno.test("e2e: expired login → set aside, red card → authorize again → back-fill completes", async () => {
  await withHarness({}, async (h) => {
    const zhang = h.family.directory.users[0];
    await authorize(h, zhang.userId);
    h.family.expireUserTokens("access", zhang.userId);
    h.family.expireUserTokens("refresh", zhang.userId);
    const ended = await h.family.endMeeting({ topic: "周会", owner_user_id: zhang.userId });
    const meetingId = String(ended.meeting.id);
    const waiting = await jobInState(h, meetingId, "waiting_authorization");
    assert.match(waiting.reason, /授权/);
    const tokens = h.service.clients.tokens;
    assert.equal(await tokens.userStatus(DEFAULT_APP_ID, zhang.userId), "set_aside", "kept, not deleted");
    const red = await until(() => cardsTo(h, zhang.userId)[0], "red card");
    assert.equal(red.template, "red");

    const page = await authorize(h, zhang.userId);
    assert.match(page.html, /有 1 个等待授权的会议录制已开始补传/);
    await jobInState(h, meetingId, "done");
    assert.equal(await tokens.userStatus(DEFAULT_APP_ID, zhang.userId), "authorized");
    await until(() => cardsTo(h, zhang.userId).length === 2, "green card");
    assert.equal(cardsTo(h, zhang.userId)[1].template, "green");
  });
});

Deno.test("e2e: /auth/callback refuses a denial, an unknown state and a reused state (Chinese pages)", async () => {
  await withHarness({}, async (h) => {
    const denied = await fetch(`${h.serviceUrl}/auth/callback?error=access_denied&state=whatever`);
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /你已拒绝授权/);
    const unknown = await fetch(`${h.serviceUrl}/auth/callback?code=abc&state=forged`);
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /授权链接已失效/);

    // A real login, then the same callback URL again: the state was single use.
    const zhang = h.family.directory.users[0];
    const { callbackUrl, cookie, query } = await approveAuthorization(h, zhang.userId);
    assert.equal(query.get("code_challenge_method"), "S256");
    const first = await fetch(callbackUrl, { headers: { cookie } });
    assert.equal(first.status, 200);
    await first.body?.cancel();
    const replay = await fetch(callbackUrl, { headers: { cookie } });
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /授权链接已失效/);

    // An approved authorization completed in another browser (another cookie, or none) is refused.
    for (const other of ["fk_oauth=another-browser", ""]) {
      const { callbackUrl: url } = await approveAuthorization(h, zhang.userId);
      const elsewhere = await fetch(url, { headers: other ? { cookie: other } : {} });
      assert.equal(elsewhere.status, 400, `a callback with cookie "${other}" is refused`);
      assert.match(await elsewhere.text(), /同一浏览器/);
    }
  });
});

Deno.test("e2e: keep-alive refreshes an idle login before it lapses; the rotated token keeps working", async () => {
  await withHarness({
    meeting: { refreshTokenLifetimeSec: 3600 },
    service: { keepAliveIntervalMs: 150 },
  }, async (h) => {
    const zhang = h.family.directory.users[0];
    await authorize(h, zhang.userId);
    const refreshes = () => h.family.userTokens.tokens.filter((t) => t.kind === "refresh");
    await until(() => refreshes().filter((t) => t.used).length >= 2, "two keep-alive refreshes");
    assert.equal(refreshes().filter((t) => !t.used).length, 1, "exactly one live refresh token");
    const ended = await h.family.endMeeting({ topic: "周会", owner_user_id: zhang.userId });
    await jobInState(h, String(ended.meeting.id), "done");
    assert.equal(
      await h.service.clients.tokens.userStatus(DEFAULT_APP_ID, zhang.userId),
      "authorized",
      "never set aside: each rotated refresh token was saved before the next use",
    );
  });
});
