import assert from "node:assert/strict";
import { staticAuth } from "../../lib/auth/auth_provider.ts";
import { NotFoundError, PermissionError, ServerError } from "../../lib/errors/mod.ts";
import { MINUTE_NOT_READY_CODE, MinutesApi, minuteTokenFromUrl } from "../../lib/minutes/mod.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import { RecordingApi } from "../../lib/vc/mod.ts";
import { larkJson, withFakeApi } from "../_scripted_api.ts";

const MEETING = "6911188411932033028";
const TOKEN = "obcnq3b9jl72l83w4f149w9c";
const user = staticAuth("user:test", { Authorization: "Bearer u-test-token" });

Deno.test("getRecording: not ready (124002 / 121004) is a result; then the url and duration", async () => {
  await withFakeApi({
    [`GET /open-apis/vc/v1/meetings/:id/recording`]: (_c, n) => {
      if (n === 1) return larkJson({ code: 124002, msg: "recording is generating" }, 400);
      if (n === 2) return larkJson({ code: 121004, msg: "data not exist" }, 404);
      return { recording: { url: `https://meetings.feishu.cn/minutes/${TOKEN}`, duration: "3600000" } };
    },
  }, async ({ http, seen }) => {
    const api = new RecordingApi(http());
    assert.deepEqual(await api.getRecording(MEETING, { auth: user }), {
      ready: false,
      code: 124002,
      message: "recording is generating",
    });
    assert.equal((await api.getRecording(MEETING, { auth: user })).ready, false);
    const ready = await api.getRecording(MEETING, { auth: user });
    assert.deepEqual(ready, {
      ready: true,
      url: `https://meetings.feishu.cn/minutes/${TOKEN}`,
      durationMs: 3600000,
    });
    assert.equal(seen[0].path, `/open-apis/vc/v1/meetings/${MEETING}/recording`);
    assert.equal(seen[0].headers.get("authorization"), "Bearer u-test-token");
    assert.equal(seen.length, 3, "not-ready answers are not retried by the client");
  });
});

Deno.test("getRecording: other failures stay typed errors", async () => {
  await withFakeApi({
    "GET /open-apis/vc/v1/meetings/:id/recording": (_c, n) =>
      n === 1
        ? larkJson({ code: 121005, msg: "no permission" }, 403)
        : larkJson({ code: 121001, msg: "internal error" }, 500),
  }, async ({ http }) => {
    const api = new RecordingApi(http({ retry: { retries: 1, baseMs: 1, capMs: 2 } }));
    await assert.rejects(api.getRecording(MEETING), PermissionError);
    await assert.rejects(api.getRecording(MEETING), ServerError);
  });
});

Deno.test("minuteTokenFromUrl takes the segment after /minutes", () => {
  assert.equal(minuteTokenFromUrl(`https://meetings.feishu.cn/minutes/${TOKEN}`), TOKEN);
  assert.equal(minuteTokenFromUrl(`https://x.feishu.cn/minutes/${TOKEN}?from=vc_recording#t=1`), TOKEN);
  assert.equal(minuteTokenFromUrl(`https://x.larksuite.com/minutes/${TOKEN}/`), TOKEN);
  assert.equal(minuteTokenFromUrl(`https://x.feishu.cn/a/b/${TOKEN}`), TOKEN);
  assert.equal(minuteTokenFromUrl("https://x.feishu.cn/minutes/"), undefined);
  assert.equal(minuteTokenFromUrl("https://x.feishu.cn/"), undefined);
  assert.equal(minuteTokenFromUrl("https://x.feishu.cn/minutes/ABC-def"), undefined);
  assert.equal(minuteTokenFromUrl("not a url"), undefined);
});

Deno.test("MinutesApi: title and media url, both in the 5/s minutes bucket", async () => {
  await withFakeApi({
    "GET /open-apis/minutes/v1/minutes/:token": () => ({
      minute: {
        token: TOKEN,
        owner_id: "ou_owner",
        create_time: "1768791700000",
        title: "周会",
        duration: "3600000",
        url: `https://x.feishu.cn/minutes/${TOKEN}`,
      },
    }),
    "GET /open-apis/minutes/v1/minutes/:token/media": () => ({
      download_url: "https://cdn.example/media.mp4?sig=1",
    }),
  }, async ({ http, seen }) => {
    const limiter = new RateLimiter({ buckets: { minutes: { perSecond: 5 } } });
    const api = new MinutesApi(http({ limiter }));
    const info = await api.getMinute(TOKEN, { auth: user, userIdType: "user_id" });
    assert.deepEqual(info, {
      token: TOKEN,
      title: "周会",
      ownerId: "ou_owner",
      createTimeMs: 1768791700000,
      durationMs: 3600000,
      url: `https://x.feishu.cn/minutes/${TOKEN}`,
      cover: undefined,
    });
    assert.equal(seen[0].query.get("user_id_type"), "user_id");
    assert.equal(await api.getMediaUrl(TOKEN, { auth: user }), "https://cdn.example/media.mp4?sig=1");
    assert.equal(limiter.stats("minutes")?.granted, 2);
    // Two more calls inside the same second: the sixth call of the window has to wait.
    const t0 = performance.now();
    for (let i = 0; i < 4; i++) await api.getMediaUrl(TOKEN, { auth: user });
    assert.ok(performance.now() - t0 >= 150, "the 5/s budget spaces the calls");
  });
});

Deno.test("MinutesApi: permission, not found and not-ready codes are typed", async () => {
  await withFakeApi({
    "GET /open-apis/minutes/v1/minutes/:token/media": (_c, n) =>
      n === 1
        ? larkJson({ code: 2091005, msg: "permission deny" }, 403)
        : larkJson({ code: 0, msg: "success", data: {} }),
    "GET /open-apis/minutes/v1/minutes/:token": (_c, n) =>
      n === 1
        ? larkJson({ code: 2091002, msg: "not found" }, 404)
        : larkJson({ code: 2091003, msg: "transcribing" }, 400),
  }, async ({ http }) => {
    const api = new MinutesApi(http());
    await assert.rejects(
      api.getMediaUrl(TOKEN),
      (e: unknown) => e instanceof PermissionError && /妙记/.test(e.hint),
    );
    await assert.rejects(api.getMediaUrl(TOKEN), /no download_url/);
    await assert.rejects(api.getMinute(TOKEN), NotFoundError);
    await assert.rejects(
      api.getMinute(TOKEN),
      (e: unknown) => (e as { code?: number }).code === MINUTE_NOT_READY_CODE,
    );
  });
});
