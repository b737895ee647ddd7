import assert from "node:assert/strict";
import { freeBytes } from "../../pipelines/meeting/free_space.ts";
import { jobInputFromMeeting } from "../../pipelines/meeting/intake.ts";

const ENDED = {
  eventId: "ev1",
  meetingId: "6911188411934433028",
  topic: "周会",
  startTime: "1768788000",
  endTime: "1768791600",
  owner: { openId: "ou_1", unionId: "on_1", userId: "u1" },
};

Deno.test("intake: one job for the meeting owner; no user id → nothing to enqueue", () => {
  assert.deepEqual(jobInputFromMeeting(ENDED), {
    meetingId: "6911188411934433028",
    userId: "u1",
    topic: "周会",
    startTime: "1768788000",
    endTime: "1768791600",
    ownerIds: { open_id: "ou_1", union_id: "on_1", user_id: "u1" },
    eventId: "ev1",
  });
  const noUserId = { ...ENDED, owner: { openId: "ou_1" } };
  assert.equal(jobInputFromMeeting(noUserId), undefined);
  assert.equal(jobInputFromMeeting(noUserId, "u_looked_up")?.userId, "u_looked_up");
});

Deno.test("free space: statfs (needs --allow-sys) reports a plausible number for a temp dir", async () => {
  const dir = await Deno.makeTempDir();
  const free = await freeBytes(dir);
  assert.equal(typeof free, "number");
  assert.ok(free! > 0 && Number.isSafeInteger(free!));
  assert.equal(await freeBytes(`${dir}/missing/deeper`), undefined);
  await Deno.remove(dir, { recursive: true });
});
