import assert from "node:assert/strict";
import { BadRequestError } from "../../lib/errors/mod.ts";
import { MEETING_ENDED_EVENT, meetingEnded, parseEvent } from "../../lib/events/mod.ts";
import type { LarkEvent } from "../../lib/events/mod.ts";
import { meetingEndedEnvelope } from "./_fixtures.ts";

async function eventOf(envelope: unknown): Promise<LarkEvent> {
  const parsed = await parseEvent(envelope);
  assert.ok(parsed.type === "event");
  return parsed.event;
}

Deno.test("meetingEnded reads id, topic, times, owner and meeting number", async () => {
  const m = meetingEnded(await eventOf(meetingEndedEnvelope("ev-9")));
  assert.equal(m.eventId, "ev-9");
  assert.equal(m.meetingId, "6911188411932033028");
  assert.equal(m.topic, "周会");
  assert.equal(m.meetingNo, "235812466");
  assert.equal(m.startTime, "1768788000");
  assert.equal(m.endTime, "1768791600");
  assert.equal(m.startMs, 1768788000000);
  assert.equal(m.endMs, 1768791600000);
  assert.deepEqual(m.owner, { openId: "ou_owner", unionId: "on_owner", userId: "zhangsan" });
  assert.deepEqual(m.host, { openId: "ou_host", unionId: "on_host", userId: "host01" });
  assert.equal(m.operator?.openId, "ou_host");
  assert.equal(m.meetingSource, 1);
  assert.equal(m.tenantKey, "tenant-1");
});

Deno.test("meetingEnded falls back to the host when no owner is sent", async () => {
  const env = meetingEndedEnvelope("ev-10");
  delete (env.event as Record<string, Record<string, unknown>>).meeting.owner;
  const m = meetingEnded(await eventOf(env));
  assert.equal(m.owner.openId, "ou_host");
});

Deno.test("meetingEnded refuses other types and incomplete meetings", async () => {
  const other = await eventOf({
    ...meetingEndedEnvelope("e"),
    header: { event_id: "e", event_type: "im.message.receive_v1" },
  });
  assert.throws(() => meetingEnded(other), BadRequestError);
  for (const field of ["id", "start_time", "end_time"]) {
    const env = meetingEndedEnvelope("e");
    delete (env.event as Record<string, Record<string, unknown>>).meeting[field];
    const ev = await eventOf(env);
    assert.equal(ev.eventType, MEETING_ENDED_EVENT);
    assert.throws(
      () => meetingEnded(ev),
      (e: unknown) => e instanceof BadRequestError && /会议结束事件/.test(e.hint),
    );
  }
});
