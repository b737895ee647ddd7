import assert from "node:assert/strict";
import { SqliteQueue } from "../../lib/queue/mod.ts";
import type { CardJob } from "../../lib/callback/mod.ts";
import { buildClick } from "../../sandbox/card/click.ts";
import { waitFor } from "../queue/_backends.ts";
import { APP_ID, ENCRYPT_KEY, startCore, VERIFICATION_TOKEN } from "./_harness.ts";

async function withCore(fn: (core: Awaited<ReturnType<typeof startCore>>) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  const core = await startCore({ queue: new SqliteQueue<CardJob>(`${dir}/q.db`, { pollMs: 10 }) });
  try {
    await fn(core);
  } finally {
    await core.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const click = (messageId: string, extra: Record<string, unknown> = {}) => ({
  callback_url: "http://127.0.0.1/unused",
  app_id: APP_ID,
  message_id: messageId,
  open_id: "ou_x",
  action: { value: { action: "approve" } },
  encrypt_key: ENCRYPT_KEY,
  verification_token: VERIFICATION_TOKEN,
  ...extra,
});

async function post(url: string, built: { body: string; headers: Record<string, string> }) {
  const res = await fetch(`${url}/callback/card`, {
    method: "POST",
    headers: built.headers,
    body: built.body,
  });
  return { status: res.status, body: await res.text() };
}

Deno.test("card callbacks: forged, tampered, unsigned and wrong-token callbacks are refused and never handled", async () => {
  await withCore(async (core) => {
    const [id] = core.seed(1);
    // Signed with another Encrypt Key.
    const forged = await core.click(id, { encrypt_key: "not-the-key" });
    assert.equal(forged.status, 401);
    // Right signature, body changed afterwards.
    const built = await buildClick(click(id, { encrypt: false }), Date.now());
    const tampered = await post(core.url, { ...built, body: built.body.replace("ou_x", "ou_y") });
    assert.equal(tampered.status, 401);
    assert.match(tampered.body, /bad_signature/);
    // No signature at all although an Encrypt Key is configured.
    const unsigned = await buildClick(click(id, { encrypt_key: undefined }), Date.now());
    assert.equal((await post(core.url, unsigned)).status, 401);
    // Signed correctly but carrying another Verification Token.
    const wrongToken = await core.click(id, { verification_token: "other-token" });
    assert.equal(wrongToken.status, 401);
    assert.equal(core.runs.size, 0);
    assert.equal((await core.queue.stats()).ready, 0, "nothing queued");
    assert.equal(core.approved(id), false);
  });
});

Deno.test("card callbacks: a replayed request (same nonce) and a stale timestamp are refused", async () => {
  await withCore(async (core) => {
    const [id] = core.seed(1);
    const built = await buildClick(click(id), Date.now());
    const first = await post(core.url, built);
    assert.equal(first.status, 200);
    const again = await post(core.url, built);
    assert.equal(again.status, 401);
    assert.match(again.body, /stale_request/);
    const old = await buildClick(
      click(id, { timestamp: String(Math.floor(Date.now() / 1000) - 3600) }),
      Date.now(),
    );
    const stale = await post(core.url, old);
    assert.equal(stale.status, 401, stale.body);
    await waitFor(() => core.approved(id));
    assert.equal(core.runs.size, 1, "only the first delivery was handled");
  });
});

Deno.test("card callbacks: the same event_id delivered twice (fresh nonce) is handled once", async () => {
  await withCore(async (core) => {
    const [id] = core.seed(1);
    const a = await core.click(id, { event_id: "evt_same_0001" });
    const b = await core.click(id, { event_id: "evt_same_0001" });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    await waitFor(() => core.approved(id));
    // Both deliveries were stored before their 200; once the queue is idle, the second has been seen too.
    await waitFor(
      async () => {
        const s = await core.queue.stats();
        return s.ready === 0 && s.inflight === 0;
      },
      10_000,
      "the queue to drain",
    );
    assert.equal(core.runs.get("evt_same_0001"), 1);
    assert.equal(core.cards.messages.get(id)!.updates, 1);
  });
});

Deno.test("card callbacks: old-style (card.action.trigger_v1, SHA-1 with the Verification Token) accepted; forged refused", async () => {
  await withCore(async (core) => {
    const [id] = core.seed(1);
    const ok = await core.click(id, { style: "v1" });
    assert.equal(ok.status, 200);
    await waitFor(() => core.approved(id));
    const [id2] = core.seed(1);
    const forged = await core.click(id2, { style: "v1", verification_token: "guess" });
    assert.equal(forged.status, 401);
    // URL verification of the old-style request URL echoes the challenge.
    const res = await fetch(`${core.url}/callback/card`, {
      method: "POST",
      body: JSON.stringify({ type: "url_verification", challenge: "abc123", token: VERIFICATION_TOKEN }),
    });
    assert.deepEqual(await res.json(), { challenge: "abc123" });
  });
});

Deno.test("card callbacks: a failing handler is retried and the card still updated once", async () => {
  const dir = await Deno.makeTempDir();
  const core = await startCore({
    queue: new SqliteQueue<CardJob>(`${dir}/q.db`, { pollMs: 10, retryDelayMs: 10 }),
    failAttempts: [1],
  });
  try {
    const [id] = core.seed(1);
    const a = await core.click(id);
    await waitFor(() => core.approved(id));
    assert.equal(core.runs.get(a.event_id), 1);
    assert.equal(core.cards.messages.get(id)!.updates, 1);
  } finally {
    await core.close();
    await Deno.remove(dir, { recursive: true });
  }
});
