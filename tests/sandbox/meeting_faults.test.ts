import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { MEETING_ENDPOINTS, meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { createSandbox, ENDPOINTS, isEndpointName } from "../../sandbox/mod.ts";
import { call, postJson, token, withSandbox } from "./_helpers.ts";

const NAMES = [
  "ws_endpoint",
  "ws_connect",
  "vc_recording",
  "minute_get",
  "minute_media",
  "media_download",
  "oauth_authorize",
  "oauth_consent",
  "oauth_token",
  "user_info",
  "im_message_create",
  "contact_user_get",
  "contact_users_batch",
  "contact_users_by_department",
  "contact_department_get",
  "contact_department_children",
  "contact_batch_get_id",
];

Deno.test("meeting endpoints are named in the shared endpoint table", () => {
  assert.deepEqual(MEETING_ENDPOINTS.map((e) => e.name), NAMES);
  for (const name of NAMES) {
    assert.ok(isEndpointName(name), name);
    assert.ok(ENDPOINTS.find((e) => e.name === name)!.title.length > 0);
  }
});

Deno.test("faults: failNext error / rate_limit / auth / drop apply to meeting endpoints", async () => {
  await withSandbox({ meeting: { recordingReadyAfterMs: 0 } }, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const zhang = family.directory.users[0];
    const bearer = await token(url);
    const headers = { authorization: `Bearer ${bearer}` };
    const user = `${url}/open-apis/contact/v3/users/${zhang.openId}`;

    sandbox.faults.failNext("contact_user_get", 1, "error");
    const err = await call(user, { headers });
    assert.deepEqual([err.status, err.body.code], [500, 2200]);
    sandbox.faults.failNext("contact_user_get", 1, "rate_limit");
    const limited = await call(user, { headers });
    assert.deepEqual([limited.status, limited.body.code], [429, 99991400]);
    sandbox.faults.failNext("contact_user_get", 1, "auth");
    assert.equal((await call(user, { headers })).body.code, 99991663);
    assert.equal((await call(user, { headers })).body.code, 0);
    assert.deepEqual(sandbox.journal.filter("contact_user_get").map((e) => e.fault), [
      "error",
      "rate_limit",
      "auth",
      undefined,
    ]);

    const ended = await family.endMeeting();
    const rec = `${url}/open-apis/vc/v1/meetings/${ended.meeting.id}/recording`;
    sandbox.faults.failNext("vc_recording", 1, "drop");
    await assert.rejects(async () => await (await fetch(rec, { headers })).text());
    assert.equal((await call(rec, { headers })).body.code, 0);

    const link =
      (await call(`${url}/open-apis/minutes/v1/minutes/${ended.minute_token}/media`, { headers })).body
        .data.download_url;
    sandbox.faults.failNext("media_download", 1, "error");
    const media = await call(link);
    assert.equal(media.status, 500);
    assert.match(media.headers.get("content-type")!, /json/, "an error on a download is JSON, not video");
  });
});

Deno.test("faults over HTTP: OAuth server faults are 20050 [500] / 20072 [503]; rate limits by name", async () => {
  const rateLimits = { im_message_create: { perSecond: 1 } };
  await withSandbox({ rateLimits }, async ({ url, sandbox }) => {
    const set = await postJson(url + "/__sandbox/faults", {
      rules: { oauth_token: { errorRate: 1, errorStatus: 500 } },
    });
    assert.equal(set.body.code, 0);
    const t = await postJson(url + "/open-apis/authen/v2/oauth/token", { grant_type: "refresh_token" });
    assert.deepEqual([t.status, t.body.code, t.body.error], [500, 20050, "server_error"]);
    assert.equal(typeof t.body.error_description, "string");
    await postJson(url + "/__sandbox/faults", { rules: { oauth_token: { errorRate: 1, errorStatus: 503 } } });
    const u = await postJson(url + "/open-apis/authen/v2/oauth/token", { grant_type: "refresh_token" });
    assert.deepEqual([u.status, u.body.code, u.body.error], [503, 20072, "temporarily_unavailable"]);
    await postJson(url + "/__sandbox/faults", { clear: "oauth_token" });

    const bearer = await token(url);
    const zhang = meetingFamily(sandbox).directory.users[0];
    const send = () =>
      postJson(
        `${url}/open-apis/im/v1/messages?receive_id_type=open_id`,
        { receive_id: zhang.openId, msg_type: "text", content: '{"text":"hi"}' },
        { authorization: `Bearer ${bearer}` },
      );
    assert.equal((await send()).status, 200);
    const over = await send();
    assert.deepEqual([over.status, over.body.code], [429, 99991400]);
    assert.equal(over.headers.get("x-ogw-ratelimit-limit"), "1");
    const limits = await postJson(url + "/__sandbox/rate_limits", { minute_get: { perSecond: 2 } });
    assert.deepEqual(limits.body.data.minute_get, { perSecond: 2 });
  });
});

Deno.test("faults: an injected error on ws_connect refuses the WebSocket handshake", async () => {
  await withSandbox({}, async ({ url, sandbox }) => {
    const found = await postJson(url + "/callback/ws/endpoint", {
      AppID: "cli_a1b2c3d4e5f60718",
      AppSecret: "sandbox-secret",
    });
    sandbox.faults.failNext("ws_connect", 1, "error");
    const ws = new WebSocket(found.body.data.URL);
    const outcome = await new Promise<string>((resolve) => {
      ws.onopen = () => resolve("open");
      ws.onerror = () => resolve("error");
    });
    assert.equal(outcome, "error");
    if (ws.readyState !== WebSocket.CLOSED) await new Promise((r) => ws.addEventListener("close", r));
    assert.equal(sandbox.journal.last("ws_connect")?.status, 500);
  });
});

Deno.test("closing the sandbox cancels pending redeliveries (no timers left behind)", async () => {
  const sandbox = createSandbox({
    meeting: { webhookUrl: "http://127.0.0.1:9/unreachable", redeliveryScheduleMs: [60_000] },
  });
  const server = await sandbox.listen();
  const family = meetingFamily(sandbox);
  await family.endMeeting();
  await waitFor(() => family.timers.pending > 0, { what: "the redelivery timer" });
  assert.equal(family.deliveries[0].status, "pending");
  assert.equal(family.timers.pending, 1, "waiting for the redelivery");
  await server.close();
  await family.whenDelivered();
  assert.equal(family.deliveries[0].status, "cancelled");
  assert.equal(family.timers.pending, 0);
});
