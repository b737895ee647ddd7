/**
 * Long-connection mode (`events.mode: long_connection`): the same meeting
 * gives the same job, files and card as with the webhook; the events arrive
 * over the sandbox's WebSocket (official SDK `WSClient` behind the adapter),
 * and a killed socket is replaced.
 */
import assert from "node:assert/strict";
import { authorize, cardsTo, filesUnder, type Harness, jobInState, until, withHarness } from "./_harness.ts";

// Leak sanitizers on: the harness closes the service, its long connection and the sandbox.
const sdk = {};
const START = 1768788000;

/** Authorize 张三, end a meeting, wait for its job; what a user would see of the result. */
async function archiveOne(h: Harness, topic: string) {
  const zhang = h.family.directory.users[0];
  if (h.family.userTokens.tokens.length === 0) await authorize(h, zhang.userId);
  const ended = await h.family.endMeeting({ topic, owner_user_id: zhang.userId, start_time: START });
  const job = await jobInState(h, String(ended.meeting.id), "done");
  const cards = await until(
    () => cardsTo(h, zhang.userId).find((c) => c.json.includes(job.fileName)),
    "card",
  );
  const delivery = h.family.deliveries.find((d) => d.eventId === ended.event_id)!;
  return {
    channel: delivery.channel,
    delivered: delivery.status,
    result: {
      state: job.state,
      fileName: job.fileName,
      bytes: job.bytes,
      paths: job.paths.map((p) => [p.path.slice(h.nasRoot.length), p.method]),
      card: [cards.template, cards.title, cards.message.receiveIdType],
      files: await filesUnder(h.nasRoot),
    },
  };
}

Deno.test({
  name: "e2e: long-connection mode delivers the same result as the webhook",
  ...sdk,
  fn: async () => {
    let webhook: Awaited<ReturnType<typeof archiveOne>> | undefined;
    await withHarness({}, async (h) => {
      webhook = await archiveOne(h, "周会");
    });
    assert.equal(webhook?.channel, "webhook");

    const meeting = { pingIntervalSec: 1, reconnectIntervalSec: 1, reconnectNonceSec: 0 };
    await withHarness({ meeting, config: { events: { mode: "long_connection" } } }, async (h) => {
      await until(() => h.family.hub.openCount() === 1, "long connection open");
      const health = await (await fetch(`${h.serviceUrl}/healthz`)).json();
      assert.equal(health.ok, true);
      assert.equal(health.connection.state, "connected");

      const ws = await archiveOne(h, "周会");
      assert.equal(ws.channel, "ws");
      assert.equal(ws.delivered, "delivered");
      assert.deepEqual(ws.result, webhook!.result, "same job, files and card as with the webhook");
      assert.equal(h.family.deliveries[0].attempts[0].ackCode, 200, "acked only after the durable store");

      // A killed socket is replaced and events keep coming.
      h.family.killConnections("close");
      await until(() => h.family.hub.openCount() === 1 && h.family.connections.length === 2, "reconnected");
      const again = await archiveOne(h, "重连后");
      assert.equal(again.channel, "ws");
      assert.equal(h.service.connection?.stats.stored, 2);
    });
  },
});
