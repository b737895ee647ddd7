/**
 * The card callback answers within Feishu's 3 s whatever the queue does: an
 * enqueue that never resolves counts as the queue being unavailable once the
 * budget (2.5 s by default) has run out, on an injected fake clock — the
 * answer is the documented "degraded" 503, or the inline handler's card with
 * the time left; and a callback handled inline is marked done in the ledger,
 * so the enqueue landing late is not handled twice.
 */
import assert from "node:assert/strict";
import { type CardJob, CardRouter, SqliteHandledLedger } from "../../lib/callback/mod.ts";
import type { JobQueue, QueueConsumer } from "../../lib/queue/job_queue.ts";
import { FakeClock, waitFor } from "../../lib/testing/mod.ts";
import { buildClick } from "../../sandbox/card/click.ts";
import { createCoreService } from "../../pipelines/core/mod.ts";
import { approvalCard } from "./_harness.ts";

const ENCRYPT_KEY = "budget-encrypt-key";
const VERIFICATION_TOKEN = "budget-verification-token";
const APP_ID = "cli_a1b2c3d4e5f60718";

/** A queue whose enqueue never answers until `land()` (a broker that accepted the TCP write but never confirms). */
function hangingQueue() {
  const pending: { job: CardJob; resolve: (fresh: boolean) => void }[] = [];
  const queue: JobQueue<CardJob> = {
    backend: "rabbitmq",
    enqueue: (job) => new Promise<boolean>((resolve) => pending.push({ job, resolve })),
    consume: (): QueueConsumer => ({ stop: () => Promise.resolve() }) as unknown as QueueConsumer,
    stats: () => Promise.resolve({ ready: 0, running: 0, dead: 0 } as never),
    deadLetters: () => Promise.resolve([]),
    ping: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { queue, pending, land: () => pending.forEach((p) => p.resolve(true)) };
}

async function setup(whenQueueDown: "refuse" | "inline", o: { handlerHangs?: boolean } = {}) {
  const dir = await Deno.makeTempDir({ prefix: "card_budget_" });
  const clock = new FakeClock(Date.now());
  const hanging = hangingQueue();
  const ledger = new SqliteHandledLedger(`${dir}/ledger.db`);
  let runs = 0;
  const router = new CardRouter().on("approve", () => {
    runs++;
    return o.handlerHangs ? new Promise(() => {}) : Promise.resolve({ card: approvalCard("已通过") });
  });
  const service = createCoreService({
    queue: hanging.queue,
    router,
    ledger,
    updater: { update: () => Promise.reject(new Error("no update expected")) },
    callback: { appId: APP_ID, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN },
    whenQueueDown,
    workers: false,
    clock,
  });
  /** POST a signed click; once the queue holds it, the answer (which may stay pending). */
  const click = async () => {
    const built = await buildClick({
      callback_url: "http://127.0.0.1/callback/card",
      app_id: APP_ID,
      message_id: "om_budget_card_0001",
      open_id: "ou_clicker",
      action: { value: { action: "approve" } },
      encrypt_key: ENCRYPT_KEY,
      verification_token: VERIFICATION_TOKEN,
    }, Date.now());
    const answer = service.fetch(
      new Request("http://127.0.0.1/callback/card", {
        method: "POST",
        headers: built.headers,
        body: built.body,
      }),
    );
    await waitFor(() => hanging.pending.length > 0, { what: "the callback handed to the queue" });
    return { answer };
  };
  return {
    clock,
    hanging,
    ledger,
    runs: () => runs,
    click,
    async close() {
      await service.stop();
      ledger.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Whether `p` has settled (after letting pending continuations run). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => done = true, () => done = true);
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
  return done;
}

Deno.test("card callback: an enqueue that never answers is refused 'degraded' when the 2.5 s budget runs out", async () => {
  const t = await setup("refuse");
  try {
    const { answer } = await t.click();
    assert.equal(t.hanging.pending.length, 1, "the callback was handed to the queue, which does not answer");
    await t.clock.tick(2_499);
    assert.equal(await settled(answer), false, "still waiting for the queue at 2.499 s");
    await t.clock.tick(1);
    assert.equal(await settled(answer), true, "answered at 2.5 s, before Feishu's 3 s");
    const res = await answer;
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "5");
    const body = await res.json();
    assert.equal(body.code, "degraded");
    assert.equal(body.error.code, "queue_unavailable");
    assert.match(body.error.message, /did not confirm the callback within 2500 ms/);
    assert.match(body.toast.content, /请稍后再点一次/);
    assert.equal(t.runs(), 0, "nothing handled: the user is told to click again");
    // The late enqueue is not an unhandled rejection or a crash.
    t.hanging.land();
    await settled(Promise.resolve());
  } finally {
    await t.close();
  }
});

Deno.test("card callback: with whenQueueDown=inline the hung enqueue is handled inline in the time left, once", async () => {
  const t = await setup("inline");
  try {
    const { answer } = await t.click();
    // The enqueue gets 1.5 s of the 2.5 s in inline mode, the handler the rest.
    await t.clock.tick(1_499);
    assert.equal(await settled(answer), false, "still waiting for the queue at 1.499 s");
    await t.clock.tick(1);
    assert.equal(await settled(answer), true, "answered at 1.5 s");
    const res = await answer;
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.match(JSON.stringify(body.card), /已通过/, "the handler's card is in the answer");
    assert.equal(t.runs(), 1);
    // The enqueue lands late: the ledger says done, so a worker would skip it.
    t.hanging.land();
    const eventId = t.hanging.pending[0].job.eventId;
    assert.deepEqual(await t.ledger.begin(eventId), { kind: "done" });
  } finally {
    await t.close();
  }
});

Deno.test("card callback: a hung enqueue and a hung inline handler still answer 'degraded' at 2.5 s", async () => {
  const t = await setup("inline", { handlerHangs: true });
  try {
    const { answer } = await t.click();
    await t.clock.tick(1_500);
    assert.equal(await settled(answer), false, "the inline handler is running");
    assert.equal(t.runs(), 1);
    await t.clock.tick(999);
    assert.equal(await settled(answer), false);
    await t.clock.tick(1);
    assert.equal(await settled(answer), true, "answered at 2.5 s");
    const res = await answer;
    assert.equal(res.status, 503);
    assert.equal((await res.json()).code, "degraded");
  } finally {
    await t.close();
  }
});
