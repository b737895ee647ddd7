/**
 * `handleCardCallback` called directly (no server): what it answers for a
 * wrong method, a body that is not JSON, old-style (`card.action.trigger_v1`)
 * URL verification and signatures, a replayed nonce, the toast options, and a
 * queue that is down with an inline handler that fails or is too slow.
 */
import assert from "node:assert/strict";
import { handleCardCallback } from "../../lib/callback/card_callback_intake.ts";
import type { CardCallbackOptions, CardJob } from "../../lib/callback/mod.ts";
import { SqliteQueue } from "../../lib/queue/mod.ts";
import { buildClick } from "../../sandbox/card/click.ts";

const TOKEN = "verification-token-1";
const URL_ = "http://127.0.0.1/callback/card";

async function withQueue(fn: (queue: SqliteQueue<CardJob>) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  const queue = new SqliteQueue<CardJob>(`${dir}/q.db`);
  try {
    await fn(queue);
  } finally {
    await queue.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** An old-style click signed with `token` (SHA-1), as Feishu sends it. */
async function oldStyle(token = TOKEN, nonce?: string): Promise<Request> {
  const built = await buildClick({
    callback_url: URL_,
    app_id: "cli_a",
    message_id: "om_1",
    open_id: "ou_1",
    action: { value: { action: "approve" } },
    style: "v1",
    verification_token: token,
    nonce,
  }, Date.now());
  return new Request(URL_, { method: "POST", headers: built.headers, body: built.body });
}

const post = (body: string) => new Request(URL_, { method: "POST", body });

Deno.test("card intake: wrong method and non-JSON bodies are refused without touching the queue", async () => {
  await withQueue(async (queue) => {
    const o: CardCallbackOptions = { queue, verificationToken: TOKEN };
    const get = await handleCardCallback(new Request(URL_), o);
    assert.equal((await get.json()).error, "method");
    assert.ok(get.status >= 400);
    for (const body of ["not json", "[1,2]", "null"]) {
      const r = await handleCardCallback(post(body), o);
      assert.equal(r.status, 400, body);
      assert.equal((await r.json()).error, "bad_json");
    }
    assert.deepEqual(await queue.stats(), { ready: 0, inflight: 0, dead: 0 });
  });
});

Deno.test("card intake (old style): URL verification echoes the challenge only with the right token", async () => {
  await withQueue(async (queue) => {
    const o: CardCallbackOptions = { queue, verificationToken: TOKEN };
    const ok = await handleCardCallback(
      post(JSON.stringify({ type: "url_verification", token: TOKEN, challenge: "c-42" })),
      o,
    );
    assert.deepEqual(await ok.json(), { challenge: "c-42" });
    const wrong = await handleCardCallback(
      post(JSON.stringify({ type: "url_verification", token: "other", challenge: "c-42" })),
      o,
    );
    assert.equal((await wrong.json()).error, "bad_token");
  });
});

Deno.test("card intake (old style): a signed click is queued once; unsigned, forged and replayed ones are refused", async () => {
  await withQueue(async (queue) => {
    const queued: CardJob[] = [];
    const o: CardCallbackOptions = {
      queue,
      verificationToken: TOKEN,
      appId: "cli_a",
      onQueued: (j) => queued.push(j),
    };
    const noToken = await handleCardCallback(await oldStyle(), { queue });
    assert.equal((await noToken.json()).error, "missing_signature");
    const forged = await handleCardCallback(await oldStyle("not-the-token"), o);
    assert.equal((await forged.json()).error, "bad_signature");

    const first = await handleCardCallback(await oldStyle(TOKEN, "nonce-1"), o);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { toast: { type: "info", content: "已收到，正在处理…" } });
    assert.equal(queued.length, 1);
    assert.equal(queued[0].eventId, "v1:nonce-1");
    const replay = await handleCardCallback(await oldStyle(TOKEN, "nonce-1"), o);
    assert.equal((await replay.json()).error, "stale_request");
    assert.equal(queued.length, 1, "the replay was not queued");

    // ackToast null: a plain `{}` answer; a custom toast is answered as given.
    const quiet = await handleCardCallback(await oldStyle(TOKEN, "nonce-2"), { ...o, ackToast: null });
    assert.equal(await quiet.text(), "{}");
    const custom = await handleCardCallback(await oldStyle(TOKEN, "nonce-3"), {
      ...o,
      ackToast: { type: "success", content: "收到" },
    });
    assert.deepEqual((await custom.json()).toast, { type: "success", content: "收到" });
  });
});

Deno.test("card intake: queue down → inline handler that fails or is too slow → 503 degraded, never a lost ack", async () => {
  await withQueue(async (queue) => {
    await queue.close();
    const base: CardCallbackOptions = {
      queue,
      verificationToken: TOKEN,
      whenQueueDown: "inline",
      requestId: "req-9",
    };
    const failing = await handleCardCallback(await oldStyle(TOKEN, "n-1"), {
      ...base,
      inline: () => Promise.reject(new Error("handler broke")),
    });
    assert.equal(failing.status, 503);
    const env = await failing.json();
    assert.deepEqual([env.code, env.request_id, env.error.code], ["degraded", "req-9", "queue_unavailable"]);
    assert.equal(failing.headers.get("retry-after"), "5");

    let release: () => void = () => {};
    const slow = await handleCardCallback(await oldStyle(TOKEN, "n-2"), {
      ...base,
      inlineBudgetMs: 10,
      inline: () => new Promise((r) => release = () => r({ toast: { type: "info", content: "late" } })),
    });
    release();
    assert.equal(slow.status, 503, "an inline handler past its budget is not waited for");

    const inline = await handleCardCallback(await oldStyle(TOKEN, "n-3"), {
      ...base,
      inline: () =>
        Promise.resolve({ toast: { type: "success", content: "已通过" }, card: { elements: [] } }),
    });
    assert.deepEqual(await inline.json(), {
      toast: { type: "success", content: "已通过" },
      card: { type: "raw", data: { elements: [] } },
    });
  });
});
