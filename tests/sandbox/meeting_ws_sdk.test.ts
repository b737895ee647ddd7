/**
 * Compatibility of the sandbox's long connection with Feishu's official
 * Node SDK `WSClient` (the client our service uses behind its adapter):
 * discovery, pbbp2 frames, pings, chunk reassembly, acks and reconnect
 * after the sandbox kills the socket.
 */
import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/mod.ts";
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { withSandbox } from "./_helpers.ts";

// A constant rather than a literal keeps the SDK's Node typings out of type checking.
const SDK = "npm:@larksuiteoapi/node-sdk@1.74.0";

async function until(check: () => boolean, ms = 5000): Promise<void> {
  await waitFor(check, { timeoutMs: ms, intervalMs: 20 });
}

Deno.test({
  name: "ws + official SDK WSClient: chunked events acked, pings answered, reconnect after kill",
  fn: async () => {
    // deno-lint-ignore no-explicit-any
    const lark: any = await import(SDK);
    const meeting = { pingIntervalSec: 1, reconnectIntervalSec: 1, reconnectNonceSec: 0 };
    await withSandbox({ meeting }, async ({ url, sandbox }) => {
      const family = meetingFamily(sandbox);
      const topics: string[] = [];
      const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.error }).register({
        "vc.meeting.all_meeting_ended_v1": (data: { meeting: { topic: string } }) => {
          topics.push(data.meeting.topic);
        },
      });
      const client = new lark.WSClient({
        appId: DEFAULT_APP_ID,
        appSecret: DEFAULT_APP_SECRET,
        domain: url,
        loggerLevel: lark.LoggerLevel.error,
      });
      try {
        await client.start({ eventDispatcher: dispatcher });
        await until(() => family.hub.openCount() === 1);
        await family.endMeeting({ topic: "分片", chunks: 4 });
        await family.whenDelivered();
        assert.deepEqual(topics, ["分片"]);
        assert.equal(family.deliveries[0].status, "delivered");
        assert.equal(family.deliveries[0].attempts[0].ackCode, 200);
        await until(() => family.connections[0].pings >= 1);

        family.killConnections("close");
        await until(() => family.hub.openCount() === 1);
        await family.endMeeting({ topic: "重连后" });
        await family.whenDelivered();
        assert.deepEqual(topics, ["分片", "重连后"]);
        assert.equal(family.deliveries[1].attempts[0].connectionId, "conn-2");
      } finally {
        client.close({ force: true });
      }
    });
  },
});
