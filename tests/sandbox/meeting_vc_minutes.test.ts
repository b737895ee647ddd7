import assert from "node:assert/strict";
import { FakeClock } from "../../lib/testing/mod.ts";
import { mediaBytes, meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { call, postJson, token, withSandbox } from "./_helpers.ts";

const T0 = 1_768_788_000_000;
const TOKEN_PATH = "/open-apis/authen/v2/oauth/token";

function get(url: string, bearer: string, headers: Record<string, string> = {}) {
  return call(url, { headers: { authorization: `Bearer ${bearer}`, ...headers } });
}

/** Authorize `userId` through the control call and exchange the code; the user access token. */
async function userToken(url: string, userId: string): Promise<string> {
  const auth = await postJson(url + "/__sandbox/meeting/authorize", {
    user_id: userId,
    redirect_uri: "http://127.0.0.1:29090/auth/callback",
  });
  const t = await postJson(url + TOKEN_PATH, {
    grant_type: "authorization_code",
    client_id: "cli_a1b2c3d4e5f60718",
    client_secret: "sandbox-secret",
    code: auth.body.data.code,
  });
  return t.body.access_token;
}

Deno.test("recording: 124002 until ready (sandbox clock), then url + duration; 121003/121004", async () => {
  const clock = new FakeClock(T0);
  await withSandbox({ clock, meeting: { recordingReadyAfterMs: 60_000 } }, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const ended = await family.endMeeting({ start_time: T0 / 1000 - 3600, end_time: T0 / 1000 });
    const bearer = await token(url);
    const path = `${url}/open-apis/vc/v1/meetings/${ended.meeting.id}/recording`;
    const early = await get(path, bearer);
    assert.equal(early.status, 400);
    assert.equal(early.body.code, 124002);
    await clock.tick(59_999);
    assert.equal((await get(path, bearer)).body.code, 124002);
    await clock.tick(1);
    const ready = await get(path, bearer);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.code, 0);
    assert.equal(ready.body.data.recording.url, `https://meetings.feishu.cn/minutes/${ended.minute_token}`);
    assert.match(ended.minute_token, /^[a-z0-9]{24}$/);
    assert.equal(ready.body.data.recording.duration, "3600000");

    const unknown = await get(`${url}/open-apis/vc/v1/meetings/7000000000000000000/recording`, bearer);
    assert.deepEqual([unknown.status, unknown.body.code], [404, 121004]);
    const bad = await get(`${url}/open-apis/vc/v1/meetings/abc/recording`, bearer);
    assert.deepEqual([bad.status, bad.body.code], [400, 121003]);
    const noRec = await family.endMeeting({ recorded: false });
    await clock.tick(3_600_000);
    const never = await get(`${url}/open-apis/vc/v1/meetings/${noRec.meeting.id}/recording`, bearer);
    assert.equal(never.body.code, 121004);
    assert.equal(sandbox.journal.count("vc_recording"), 6);
    assert.equal((await get(path, "")).body.code, 99991661);
  });
});

Deno.test("recording: recordingNotReady=not_found answers 121004/404 while generating", async () => {
  const clock = new FakeClock(T0);
  await withSandbox({ clock, meeting: { recordingNotReady: "not_found" } }, async ({ url, sandbox }) => {
    const ended = await meetingFamily(sandbox).endMeeting();
    const path = `${url}/open-apis/vc/v1/meetings/${ended.meeting.id}/recording`;
    const bearer = await token(url);
    assert.deepEqual([(await get(path, bearer)).status, (await get(path, bearer)).body.code], [404, 121004]);
    await clock.tick(3000);
    assert.equal((await get(path, bearer)).body.code, 0);
  });
});

Deno.test("user tokens: only the owner's recording and minute (121005 / 2091005)", async () => {
  await withSandbox({ meeting: { recordingReadyAfterMs: 0 } }, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const [zhang, li] = family.directory.users;
    const ended = await family.endMeeting({ owner_user_id: zhang.openId });
    const path = `${url}/open-apis/vc/v1/meetings/${ended.meeting.id}/recording`;
    const mine = await userToken(url, zhang.userId);
    const theirs = await userToken(url, li.userId);
    assert.equal((await get(path, mine)).body.code, 0);
    const denied = await get(path, theirs);
    assert.deepEqual([denied.status, denied.body.code], [403, 121005]);
    const minute = `${url}/open-apis/minutes/v1/minutes/${ended.minute_token}`;
    assert.equal((await get(minute, mine)).body.code, 0);
    assert.equal((await get(minute + "/media", mine)).body.code, 0);
    const m = await get(minute + "/media", theirs);
    assert.deepEqual([m.status, m.body.code], [403, 2091005]);
  });
});

Deno.test("minutes: info shape, id types, 2091001 / 2091002 / 2091003", async () => {
  const clock = new FakeClock(T0);
  await withSandbox({ clock, meeting: { recordingReadyAfterMs: 1000 } }, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const zhang = family.directory.users[0];
    const ended = await family.endMeeting({
      topic: "产品评审",
      start_time: T0 / 1000 - 600,
      end_time: T0 / 1000,
    });
    const bearer = await token(url);
    const path = `${url}/open-apis/minutes/v1/minutes/${ended.minute_token}`;
    const notReady = await get(path, bearer);
    assert.deepEqual([notReady.status, notReady.body.code], [400, 2091003]);
    await clock.tick(1000);
    const info = await get(path, bearer);
    assert.equal(info.body.code, 0);
    const minute = info.body.data.minute;
    assert.equal(minute.token, ended.minute_token);
    assert.equal(minute.owner_id, zhang.openId);
    assert.equal(minute.title, "产品评审");
    assert.equal(minute.duration, "600000");
    assert.match(minute.create_time, /^\d{13}$/);
    assert.ok(minute.cover.startsWith("https://"));
    assert.equal(minute.url, `https://meetings.feishu.cn/minutes/${ended.minute_token}`);
    assert.equal((await get(path + "?user_id_type=user_id", bearer)).body.data.minute.owner_id, zhang.userId);
    assert.equal((await get(path + "?user_id_type=nope", bearer)).body.code, 99992402);
    const bad = await get(`${url}/open-apis/minutes/v1/minutes/NOT-A-TOKEN`, bearer);
    assert.deepEqual([bad.status, bad.body.code], [400, 2091001]);
    const unknown = await get(`${url}/open-apis/minutes/v1/minutes/obcn00000000000000000000`, bearer);
    assert.deepEqual([unknown.status, unknown.body.code], [404, 2091002]);
  });
});

Deno.test("minutes: 5/s per API (info and media each), 429 + 99991400, next second recovers", async () => {
  const clock = new FakeClock(T0);
  await withSandbox({ clock, meeting: { recordingReadyAfterMs: 0 } }, async ({ url, sandbox }) => {
    const ended = await meetingFamily(sandbox).endMeeting();
    const bearer = await token(url);
    const path = `${url}/open-apis/minutes/v1/minutes/${ended.minute_token}`;
    for (let i = 0; i < 5; i++) assert.equal((await get(path, bearer)).status, 200);
    const over = await get(path, bearer);
    assert.equal(over.status, 429);
    assert.equal(over.body.code, 99991400);
    assert.equal(over.headers.get("x-ogw-ratelimit-limit"), "5");
    assert.equal(sandbox.journal.countThrottled("minute_get"), 1);
    for (let i = 0; i < 5; i++) {
      assert.equal((await get(path + "/media", bearer)).status, 200, "media has its own budget");
    }
    assert.equal((await get(path + "/media", bearer)).status, 429);
    await clock.tick(1000);
    assert.equal((await get(path, bearer)).status, 200);
  });
});

Deno.test("media: streamed mp4 with Content-Length, Range 206/416, expired or forged link 403", async () => {
  const clock = new FakeClock(T0);
  const meeting = { recordingReadyAfterMs: 0, mediaSizeBytes: 3_000_000, mediaUrlTtlMs: 60_000 };
  await withSandbox({ clock, meeting }, async ({ url, sandbox }) => {
    const ended = await meetingFamily(sandbox).endMeeting();
    const bearer = await token(url);
    const media = await get(`${url}/open-apis/minutes/v1/minutes/${ended.minute_token}/media`, bearer);
    const link: string = media.body.data.download_url;
    assert.ok(link.startsWith(`${url}/__media/${ended.minute_token}?expires=`));
    const res = await fetch(link);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "video/mp4");
    assert.equal(res.headers.get("content-length"), "3000000");
    assert.equal(res.headers.get("accept-ranges"), "bytes");
    const all = new Uint8Array(await res.arrayBuffer());
    assert.equal(all.length, 3_000_000);
    assert.deepEqual(all.subarray(0, 100), mediaBytes(ended.minute_token, 3_000_000, 0, 100));
    assert.deepEqual(
      all.subarray(2_999_900),
      mediaBytes(ended.minute_token, 3_000_000, 2_999_900, 3_000_000),
    );

    const part = await fetch(link, { headers: { range: "bytes=1000000-1000099" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), "bytes 1000000-1000099/3000000");
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), all.subarray(1_000_000, 1_000_100));
    const tail = await fetch(link, { headers: { range: "bytes=2999000-" } });
    assert.equal(tail.headers.get("content-length"), "1000");
    await tail.body?.cancel();
    const beyond = await call(link, { headers: { range: "bytes=3000000-" } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("content-range"), "bytes */3000000");

    const forged = await call(link.replace(/sig=[0-9a-f]/, "sig=x"));
    assert.equal(forged.status, 403);
    assert.match(forged.text, /SignatureDoesNotMatch/);
    await clock.tick(60_001);
    const expired = await call(link);
    assert.equal(expired.status, 403);
    assert.match(expired.text, /expired/);
    assert.equal(sandbox.journal.count("media_download"), 6);
  });
});

Deno.test("media: a cut after N bytes breaks the first download once; Range resumes it", async () => {
  const size = 2_000_000;
  await withSandbox(
    { meeting: { recordingReadyAfterMs: 0, mediaSizeBytes: size } },
    async ({ url, sandbox }) => {
      const ended = await meetingFamily(sandbox).endMeeting();
      const bearer = await token(url);
      const link =
        (await get(`${url}/open-apis/minutes/v1/minutes/${ended.minute_token}/media`, bearer)).body.data
          .download_url;
      const cut = await postJson(url + "/__sandbox/meeting/media", { cut_after_bytes: 700_000 });
      assert.equal(cut.body.code, 0);
      const res = await fetch(link);
      assert.equal(res.status, 200);
      const reader = res.body!.getReader();
      const chunks: Uint8Array[] = [];
      await assert.rejects(async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          chunks.push(value);
        }
      });
      const got = chunks.reduce((n, c) => n + c.length, 0);
      assert.equal(got, 700_000);
      assert.equal(sandbox.journal.last("media_download")?.fault, "drop");

      const rest = await fetch(link, { headers: { range: `bytes=${got}-` } });
      assert.equal(rest.status, 206);
      const tail = new Uint8Array(await rest.arrayBuffer());
      assert.equal(got + tail.length, size);
      assert.deepEqual(tail.subarray(0, 64), mediaBytes(ended.minute_token, size, got, got + 64));
    },
  );
});
