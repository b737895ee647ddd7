/**
 * The sandbox's "end a meeting" control (the trigger of the meeting archiver's
 * scenarios) checks its input and says in Chinese what is wrong; times in
 * milliseconds are taken as seconds; re-ending a meeting id keeps its recording.
 */
import assert from "node:assert/strict";
import { createSandbox } from "../../sandbox/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import type { EndMeetingInput } from "../../sandbox/vc/_end_meeting.ts";

Deno.test("endMeeting: bad input is a RangeError naming the field in Chinese", async () => {
  const sandbox = createSandbox({ meeting: { delivery: "webhook" } });
  const family = meetingFamily(sandbox);
  const cases: [unknown, RegExp][] = [
    [null, /JSON 对象/],
    [{ owner_user_id: "nobody" }, /未知用户：nobody/],
    [{ host_user_id: "nobody" }, /未知用户：nobody/],
    [{ topic: "" }, /topic/],
    [{ topic: "会".repeat(256) }, /topic/],
    [{ end_time: -5 }, /end_time 必须是 Unix 秒/],
    [{ start_time: "soon" }, /start_time 必须是 Unix 秒/],
    [{ start_time: 2000, end_time: 1000 }, /不能晚于/],
    [{ meeting_id: "abc" }, /meeting_id 必须是数字串/],
    [{ recording_ready_after_ms: -1 }, /recording_ready_after_ms/],
    [{ media_size_bytes: 10 }, /media_size_bytes/],
    [{ chunks: 65 }, /chunks/],
    [{ delivery: "pigeon" }, /delivery/],
    [{ webhook_url: "not a url" }, /webhook_url/],
    [{ app_id: "cli_nope" }, /未知应用/],
  ];
  for (const [input, message] of cases) {
    // Each refused call names a meeting id that must not be recorded.
    const withId = input && typeof input === "object" && !("meeting_id" in input)
      ? { meeting_id: "424242", ...input }
      : input;
    await assert.rejects(
      family.endMeeting(withId as EndMeetingInput),
      (e) => e instanceof RangeError && message.test(e.message),
      JSON.stringify(input),
    );
  }
  assert.equal(family.meetings.byId("424242"), undefined, "nothing was recorded");
});

Deno.test("endMeeting: millisecond times are read as seconds; the same meeting id keeps its recording", async () => {
  const sandbox = createSandbox({ meeting: { delivery: "webhook" } });
  const family = meetingFamily(sandbox);
  const first = await family.endMeeting({
    meeting_id: "7000000000000000001",
    start_time: 1_767_600_000_000,
    end_time: "1767603600",
    recorded: true,
  });
  const stored = family.meetings.byId("7000000000000000001")!;
  assert.equal(stored.startTime, 1_767_600_000);
  assert.equal(stored.endTime, 1_767_603_600);
  assert.equal(first.meeting.start_time, "1767600000", "the event carries seconds");
  const again = await family.endMeeting({ meeting_id: "7000000000000000001", topic: "复盘" });
  assert.equal(again.minute_token, first.minute_token, "same recording");
  assert.equal(again.meeting.meeting_no, first.meeting.meeting_no);
  assert.notEqual(again.event_id, first.event_id, "a new event");
  assert.equal(family.meetings.byId("7000000000000000001")!.topic, "复盘");
});
