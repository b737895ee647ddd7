/**
 * The archiver end to end against the sandbox: a meeting ends → the event
 * arrives by webhook → the recording is waited for → downloaded with the
 * owner's token → filed for the owner and each department (hard links) →
 * green card. And the same event twice gives one job and one download.
 */
import assert from "node:assert/strict";
import { mediaBytes } from "../../sandbox/scenarios/meeting/mod.ts";
import {
  assertNoSecretsLogged,
  authorize,
  cardsTo,
  filesUnder,
  jobInState,
  jobOf,
  MEDIA_SIZE,
  until,
  withHarness,
} from "./_harness.ts";

const START = 1768788000; // 2026-01-19 10:00 +08:00

Deno.test("e2e: event → wait for recording → download → personal + team hard links → green card", async () => {
  await withHarness({}, async (h) => {
    const zhang = h.family.directory.users[0];
    assert.equal(zhang.name, "张三");
    const login = await authorize(h, zhang.userId);
    assert.equal(login.status, 200);
    assert.match(login.html, /授权成功/);

    const ended = await h.family.endMeeting({
      topic: "周会",
      owner_user_id: zhang.userId,
      start_time: START,
      end_time: START + 3600,
    });
    const meetingId = String(ended.meeting.id);
    const job = await jobInState(h, meetingId, "done");

    const file = "张三_周会_20260119_1000.mp4";
    const personal = `${h.nasRoot}/${zhang.userId}/${file}`;
    const teams = [`${h.nasRoot}/@team/后端组/${file}`, `${h.nasRoot}/@team/市场部/${file}`];
    assert.equal(job.fileName, file);
    assert.equal(job.userId, zhang.userId);
    assert.equal(job.userName, "张三");
    assert.equal(job.bytes, MEDIA_SIZE);
    assert.deepEqual(job.paths.map((p) => [p.path, p.method]), [
      [personal, "link"],
      [teams[0], "link"],
      [teams[1], "link"],
    ]);
    const st = await Deno.stat(personal);
    assert.equal(st.size, MEDIA_SIZE);
    assert.equal(st.nlink, 3, "personal file + two team hard links, staging removed");
    for (const t of teams) assert.equal((await Deno.stat(t)).ino, st.ino);
    assert.deepEqual(
      await Deno.readFile(personal),
      mediaBytes(ended.minute_token, MEDIA_SIZE, 0, MEDIA_SIZE),
    );
    assert.deepEqual(await filesUnder(h.nasRoot), [
      `${zhang.userId}/${file}`,
      `@team/后端组/${file}`,
      `@team/市场部/${file}`,
    ]);

    // The recording was polled until found: every earlier answer was 124002 (still being generated).
    // How many polls that took depends on the machine's load (it can be ready on the first poll).
    const polls = h.sandbox.journal.filter("vc_recording");
    assert.ok(polls.length >= 1);
    assert.deepEqual(polls.slice(0, -1).map((p) => p.code).filter((c) => c !== 124002), []);
    assert.equal(polls.at(-1)!.code, 0);
    assert.equal(h.sandbox.journal.count("media_download"), 1);

    // One green card from the app's bot to the owner's open_id, naming the file and every path.
    const cards = await until(
      () => cardsTo(h, zhang.userId).length ? cardsTo(h, zhang.userId) : undefined,
      "card",
    );
    assert.equal(cards.length, 1);
    assert.equal(cards[0].template, "green");
    assert.equal(cards[0].title, "会议录制已归档");
    assert.equal(cards[0].message.senderType, "app");
    assert.equal(cards[0].message.receiveIdType, "open_id");
    assert.equal(cards[0].message.receiveId, zhang.openId);
    for (const p of [file, personal, ...teams]) assert.ok(cards[0].json.includes(p), `card names ${p}`);

    const health = await (await fetch(`${h.serviceUrl}/healthz`)).json();
    assert.equal(health.ok, true);
    assert.equal(health.mode, "webhook");
    assert.equal(health.jobs.done, 1);
    assert.equal(health.events.done, 1);
    const status = await (await fetch(`${h.serviceUrl}/status`)).text();
    assert.match(status, /周会/);
    assert.match(status, /已完成/);
    assertNoSecretsLogged(h);
  });
});

Deno.test("e2e: the same event delivered twice, and the meeting ended again → one job, one download", async () => {
  await withHarness({}, async (h) => {
    const zhang = h.family.directory.users[0];
    await authorize(h, zhang.userId);
    const ended = await h.family.endMeeting({
      topic: "重复投递",
      owner_user_id: zhang.userId,
      duplicate: true,
    });
    await h.family.whenDelivered();
    const deliveries = h.family.deliveries.filter((d) => d.eventId === ended.event_id);
    assert.equal(deliveries.length, 2, "the sandbox delivered the event twice");
    for (const d of deliveries) assert.equal(d.status, "delivered", "both acknowledged with 200");
    const stored = await h.service.events.get(ended.event_id);
    assert.equal(stored?.deliveries, 2, "the replay was recognised by event_id");
    const meetingId = String(ended.meeting.id);
    await jobInState(h, meetingId, "done");

    // The same meeting ended again (a new event id, same meeting and owner): still one job.
    const again = await h.family.endMeeting({
      meeting_id: meetingId,
      topic: "重复投递",
      owner_user_id: zhang.userId,
    });
    assert.notEqual(again.event_id, ended.event_id);
    await until(
      async () => (await h.service.events.get(again.event_id))?.state === "done",
      "second event done",
    );
    assert.equal(h.service.processor.stats.duplicates, 1);

    assert.equal(h.service.jobs.listRecent().length, 1);
    assert.equal(jobOf(h, meetingId)?.state, "done");
    assert.equal(h.sandbox.journal.count("media_download"), 1, "one download");
    assert.equal(cardsTo(h, zhang.userId).length, 1, "one green card");
    assert.equal((await filesUnder(h.nasRoot)).filter((f) => f.startsWith(zhang.userId)).length, 1);
  });
});

Deno.test("e2e: an event whose owner has only an open_id → user_id looked up in contacts → archived", async () => {
  await withHarness({}, async (h) => {
    const wang = h.family.directory.users[2];
    assert.equal(wang.name, "王五");
    await authorize(h, wang.userId);
    // The sandbox's own delivery goes nowhere; the test sends the event itself, without user_id.
    const ended = await h.family.endMeeting({
      topic: "客户拜访",
      owner_user_id: wang.userId,
      start_time: START,
      webhook_url: "http://127.0.0.1:9/nowhere",
    });
    const envelope = {
      schema: "2.0",
      header: {
        event_id: "ev-open-id-only",
        event_type: "vc.meeting.all_meeting_ended_v1",
        create_time: String(Date.now()),
        token: h.config.app.verification_token,
        app_id: h.config.app.app_id,
        tenant_key: h.family.directory.tenantKey,
      },
      event: {
        meeting: {
          id: ended.meeting.id,
          topic: "客户拜访",
          start_time: String(START),
          end_time: String(START + 1800),
          owner: { id: { open_id: wang.openId } },
        },
      },
    };
    const res = await fetch(`${h.serviceUrl}/webhook/event`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(envelope),
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const job = await jobInState(h, String(ended.meeting.id), "done");
    assert.equal(job.userId, wang.userId, "the tenant user id, from contact/v3/users/:open_id");
    assert.deepEqual(job.ownerIds, { open_id: wang.openId });
    assert.equal(job.fileName, "王五_客户拜访_20260119_1000.mp4");
    assert.ok(h.sandbox.journal.count("contact_user_get") >= 1);
    const card = await until(() => cardsTo(h, wang.userId)[0], "green card");
    assert.equal(card.message.receiveIdType, "open_id");
  });
});
