/**
 * The archiver with honest field scopes: `user_id` appears in events and
 * user_info only when the app (and, for user_info, the user) holds
 * `contact:user.employee_id:readonly`.
 */
import assert from "node:assert/strict";
import { SCOPE_USER_ID } from "../../sandbox/auth/scopes.ts";
import { authorize, jobInState, until, withHarness } from "./_harness.ts";

Deno.test("e2e: an event without user_id → the owner's user_id looked up by open_id (contact)", async () => {
  await withHarness({}, async (h) => {
    const zhang = h.family.directory.users[0];
    await authorize(h, zhang.userId);
    // The event is a snapshot taken when the meeting ends (here without the scope); the scope is
    // enabled before the archiver asks the contact API, as when an old event is redelivered.
    h.sandbox.state.appScopes.delete(SCOPE_USER_ID);
    const ending = h.family.endMeeting({ topic: "周会", owner_user_id: zhang.userId });
    h.sandbox.state.appScopes.add(SCOPE_USER_ID);
    const ended = await ending;
    const payload = JSON.parse(h.family.deliveries[0].payload);
    assert.equal(payload.event.meeting.owner.id.open_id, zhang.openId);
    assert.equal("user_id" in payload.event.meeting.owner.id, false, "no scope, no user_id in the event");

    const job = await jobInState(h, String(ended.meeting.id), "done");
    assert.equal(job.userId, zhang.userId);
    const lookups = h.sandbox.journal.filter("contact_user_get")
      .filter((e) => e.path.endsWith(`/${zhang.openId}`));
    assert.equal(lookups.length, 1, "one contact lookup by open_id");
    assert.equal(new URLSearchParams(lookups[0].query).get("user_id_type"), "open_id");
  });
});

Deno.test("e2e: without the user_id scope the event cannot be filed; nothing is downloaded", async () => {
  await withHarness({}, async (h) => {
    const zhang = h.family.directory.users[0];
    await authorize(h, zhang.userId);
    h.sandbox.state.appScopes.delete(SCOPE_USER_ID);
    await h.family.endMeeting({ topic: "周会", owner_user_id: zhang.userId });
    await until(() => h.sandbox.journal.count("contact_user_get") > 0, "the archiver asks the contact API");
    await h.family.whenDelivered();
    const failed = await until(
      () => h.logs.records.find((r) => r.event === "event.failed"),
      "the event is given up (not retryable)",
    );
    assert.match(String(failed.reason), /user_id|contact:user\.employee_id:readonly/);
    assert.equal(h.service.jobs.listRecent(10).length, 0, "no job without a user_id");
    assert.equal(h.sandbox.journal.count("vc_recording"), 0);
  });
});

Deno.test("e2e: a login whose user_info has no user_id is refused with the scope to enable", async () => {
  await withHarness({}, async (h) => {
    const li = h.family.directory.users[1];
    h.sandbox.state.appScopes.delete(SCOPE_USER_ID);
    const page = await authorize(h, li.userId);
    assert.equal(page.status, 400);
    assert.match(page.html, /contact:user\.employee_id:readonly/);
    assert.equal(h.sandbox.journal.count("user_info"), 1);
    assert.equal(
      await h.service.clients.tokens.userStatus("cli_a1b2c3d4e5f60718", li.userId),
      "not_authorized",
    );
  });
});
