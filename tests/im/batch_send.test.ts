/**
 * batchSend: a result per recipient, Feishu's 5 QPS per recipient and the
 * app's 50/s respected (fake time, no real waits), idempotent with uuid.
 */
import assert from "node:assert/strict";
import { LarkHttp } from "../../lib/http/mod.ts";
import { type BatchRecipient, batchSend, ImFieldError, MessageApi } from "../../lib/im/mod.ts";
import { RateLimiter } from "../../lib/rate_limit/mod.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { withIm } from "./_im_env.ts";

/** A fake Feishu recording when (fake time) each send arrived, per receive_id. */
function recordingApi(clock: FakeClock) {
  const arrivals: { id: string; at: number }[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body));
    arrivals.push({ id: body.receive_id, at: clock.now() });
    const data = { message_id: `om_${arrivals.length}`, chat_id: "oc_x", create_time: String(clock.now()) };
    void input;
    return Promise.resolve(Response.json({ code: 0, msg: "success", data }));
  };
  const limiter = new RateLimiter({ clock });
  const http = new LarkHttp({ baseUrl: "http://feishu.test", fetch, clock, limiter });
  return { im: new MessageApi(http, { limiter }), arrivals };
}

/** Most arrivals in any window of `ms` (sliding over arrival times). */
function peak(times: number[], ms: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function drive(clock: FakeClock, p: Promise<unknown>): Promise<number> {
  let done = false;
  p.finally(() => done = true).catch(() => {});
  const start = clock.now();
  while (!done) await clock.tick(100);
  await p;
  return clock.now() - start;
}

Deno.test("batchSend: 30 sends to 3 users never exceed 5 per second per user (fake time)", async () => {
  const clock = new FakeClock(0);
  const { im, arrivals } = recordingApi(clock);
  const users = ["ou_a", "ou_b", "ou_c"];
  const recipients: BatchRecipient[] = Array.from(
    { length: 30 },
    (_, i) => ({ receiveIdType: "open_id", receiveId: users[i % 3] }),
  );
  const run = batchSend(im, recipients, "text", { text: "通知" }, { batchId: "b1", concurrency: 30 });
  const elapsed = await drive(clock, run);
  const results = await run;
  assert.equal(results.length, 30);
  assert.ok(results.every((r) => r.ok));
  for (const u of users) {
    const times = arrivals.filter((a) => a.id === u).map((a) => a.at);
    assert.equal(times.length, 10);
    assert.ok(peak(times, 1000) <= 5, `${u}: ${peak(times, 1000)} sends in one second`);
  }
  assert.ok(elapsed >= 1800, `10 sends per user at 5/s take ≥ 1.8 s of fake time, took ${elapsed}`);
  assert.ok(elapsed < 4000, `users are served in parallel, took ${elapsed}`);
});

Deno.test("batchSend: 120 different users stay within the app's 50 per second (fake time)", async () => {
  const clock = new FakeClock(0);
  const { im, arrivals } = recordingApi(clock);
  const recipients: BatchRecipient[] = Array.from(
    { length: 120 },
    (_, i) => ({ receiveIdType: "open_id", receiveId: `ou_u${i}` }),
  );
  const run = batchSend(im, recipients, "text", { text: "通知" }, { concurrency: 60 });
  const elapsed = await drive(clock, run);
  assert.equal((await run).filter((r) => r.ok).length, 120);
  assert.ok(peak(arrivals.map((a) => a.at), 1000) <= 50, `peak ${peak(arrivals.map((a) => a.at), 1000)}/s`);
  assert.ok(elapsed >= 2000, `120 sends at 50/s take ≥ 2 s of fake time, took ${elapsed}`);
});

Deno.test("batchSend: input checked for every recipient before the first request", async () => {
  const { im, arrivals } = recordingApi(new FakeClock(0));
  await assert.rejects(
    batchSend(
      im,
      [{ receiveIdType: "open_id", receiveId: "ou_ok" }, { receiveIdType: "open_id", receiveId: "oc_bad" }],
      "text",
      { text: "x" },
    ),
    (e: unknown) => e instanceof ImFieldError && e.field === "recipients[1].receiveId",
  );
  await assert.rejects(
    batchSend(im, [], "text", { text: "x" }),
    (e: unknown) => e instanceof ImFieldError && e.field === "recipients",
  );
  await assert.rejects(
    batchSend(im, [{ receiveIdType: "open_id", receiveId: "ou_ok" }], "text", { text: "x" }, {
      batchId: "x".repeat(18),
    }),
    (e: unknown) => e instanceof ImFieldError && e.field === "batchId",
  );
  assert.equal(arrivals.length, 0);
});

Deno.test("batchSend against the sandbox: 30 users, a result each, failures kept per recipient, re-run sends nothing twice", async () => {
  await withIm(async ({ family, sandbox, im, clock }) => {
    const users = family.directory.users.slice(0, 30);
    assert.equal(users.length, 30);
    const recipients: BatchRecipient[] = [
      ...users.map((u) => ({ receiveIdType: "open_id" as const, receiveId: u.openId })),
      { receiveIdType: "open_id", receiveId: "ou_" + "0".repeat(32) },
    ];
    const seen: string[] = [];
    const first = await batchSend(im, recipients, "text", { text: "放假通知" }, {
      batchId: "holiday",
      onResult: (r) => seen.push(r.receiveId),
    });
    assert.equal(first.length, 31);
    assert.equal(seen.length, 31);
    assert.equal(first.filter((r) => r.ok).length, 30);
    const failed = first[30];
    assert.ok(!failed.ok && failed.error.code === 230013, "the unknown user fails alone with its code");
    assert.deepEqual(
      new Set(family.sentMessages.map((m) => m.user?.openId)),
      new Set(users.map((u) => u.openId)),
    );
    assert.ok(first.every((r) => r.uuid.length <= 50 && r.uuid.startsWith("holiday-")));
    // The uuid is the batch id and the first 128 bits of SHA-256("<type>:<id>") in hex: stable across releases.
    assert.equal(first[30].uuid, "holiday-bdcfc3f060809ee803299eb1e46e282e");

    await clock.tick(1000); // the sandbox's 50/s window (its clock is fake and frozen otherwise)
    const again = await batchSend(im, recipients, "text", { text: "放假通知" }, { batchId: "holiday" });
    assert.equal(family.sentMessages.length, 30, "same batch id: Feishu de-duplicates by uuid");
    assert.deepEqual(
      again.map((r) => r.ok ? r.message.messageId : "failed"),
      first.map((r) => r.ok ? r.message.messageId : "failed"),
    );
    assert.equal(sandbox.journal.countThrottled("im_message_create"), 0);
  }, 40);
});
