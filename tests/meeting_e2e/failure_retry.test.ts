/**
 * A meeting whose recording never appears: the job fails with a Chinese
 * reason after the ladder's total, the owner gets an orange card, and the
 * status page's 「重试」 (POST /jobs/:id/retry) sends it round again — only
 * from the page itself, never cross-site.
 */
import assert from "node:assert/strict";
import { authorize, cardsTo, jobInState, jobOf, until, withHarness } from "./_harness.ts";

Deno.test("e2e: no recording → failed with a reason, orange card; status page retry (same origin only)", async () => {
  const ladder = { steps_seconds: [0.1], repeat_seconds: 0.2, total_seconds: 0.6 };
  await withHarness({ config: { ladder } }, async (h) => {
    const zhang = h.family.directory.users[0];
    await authorize(h, zhang.userId);
    const ended = await h.family.endMeeting({
      topic: "未录制",
      owner_user_id: zhang.userId,
      recorded: false,
    });
    const meetingId = String(ended.meeting.id);
    const failed = await jobInState(h, meetingId, "failed");
    assert.match(failed.reason, /仍未生成录制/);
    const card = await until(() => cardsTo(h, zhang.userId)[0], "failure card");
    assert.equal(card.template, "orange");
    assert.equal(card.title, "会议录制归档失败");

    const page = await (await fetch(`${h.serviceUrl}/status`)).text();
    assert.match(page, /失败/);
    assert.match(page, new RegExp(`action="jobs/${failed.id}/retry"`));

    const url = `${h.serviceUrl}/jobs/${failed.id}/retry`;
    const cross = await fetch(url, { method: "POST", headers: { origin: "https://evil.example" } });
    assert.equal(cross.status, 403);
    await cross.body?.cancel();
    assert.equal(jobOf(h, meetingId)?.state, "failed");
    const pollsBefore = h.sandbox.journal.count("vc_recording");
    const retried = await fetch(url, {
      method: "POST",
      headers: { origin: h.serviceUrl },
      redirect: "manual",
    });
    assert.equal(retried.status, 303);
    assert.equal(new URL(retried.headers.get("location")!, url).pathname, "/status");
    await retried.body?.cancel();
    assert.equal(jobOf(h, meetingId)?.state, "waiting_recording", "sent round again at once");
    await until(() => h.sandbox.journal.count("vc_recording") > pollsBefore, "polled again after the retry");
    await jobInState(h, meetingId, "failed");
    await until(() => cardsTo(h, zhang.userId).length === 2, "a second orange card");
    const notFailed = await fetch(`${h.serviceUrl}/jobs/999/retry`, { method: "POST" });
    assert.equal(notFailed.status, 409);
    await notFailed.body?.cancel();
  });
});
