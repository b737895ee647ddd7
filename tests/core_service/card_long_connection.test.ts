/**
 * Card callbacks over the long connection: the sandbox pushes a
 * `card.action.trigger` envelope as a data frame (the sandbox frames it with
 * `type: event`; Feishu uses `type: card` for callbacks — the SDK hands both
 * to the same dispatcher), `LongConnection` stores it on the queue through
 * `cardCallbackSink`, the worker handles it and the card is updated.
 */
import assert from "node:assert/strict";
import { createSandbox, DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { meetingFamily } from "../../sandbox/scenarios/meeting/family.ts";
import { cardFamily } from "../../sandbox/card/family.ts";
import { LongConnection } from "../../lib/events/ws_adapter.ts";
import { LarkHttp } from "../../lib/http/lark_http.ts";
import { SqliteQueue } from "../../lib/queue/mod.ts";
import { LarkTokenEndpoints } from "../../lib/token/lark_token_endpoints.ts";
import { MemoryTokenStore } from "../../lib/token/token_store_memory.ts";
import { TokenManager } from "../../lib/token/token_manager.ts";
import {
  cardCallbackSink,
  type CardJob,
  CardRouter,
  PatchCardUpdater,
  SqliteHandledLedger,
  startCardWorker,
} from "../../lib/callback/mod.ts";
import { waitFor } from "../queue/_backends.ts";
import { approvalCard } from "./_harness.ts";

Deno.test("card callbacks over the long connection are queued, handled once and the card updated", async () => {
  const dir = await Deno.makeTempDir();
  const sandbox = createSandbox();
  const sbx = await sandbox.listen({ port: 0 });
  const queue = new SqliteQueue<CardJob>(`${dir}/q.db`, { pollMs: 10 });
  const ledger = new SqliteHandledLedger(`${dir}/ledger.db`);
  const tokens = new TokenManager({
    store: new MemoryTokenStore(),
    endpoints: new LarkTokenEndpoints({ baseUrl: sbx.url }),
    apps: (id) => ({ appId: id, appSecret: DEFAULT_APP_SECRET }),
  });
  const http = new LarkHttp({ baseUrl: sbx.url, auth: tokens.tenantAuth(DEFAULT_APP_ID) });
  let runs = 0;
  const router = new CardRouter().on("approve", () => {
    runs++;
    return Promise.resolve({ card: approvalCard("已通过") });
  });
  const worker = startCardWorker({ queue, router, ledger, updater: new PatchCardUpdater(() => http) });
  const ws = new LongConnection({
    appId: DEFAULT_APP_ID,
    appSecret: DEFAULT_APP_SECRET,
    baseUrl: sbx.url,
    store: cardCallbackSink(queue, { appId: DEFAULT_APP_ID }),
  });
  try {
    await ws.start();
    const family = meetingFamily(sandbox.state);
    await waitFor(() => family.hub.pick(DEFAULT_APP_ID) !== undefined, 10_000, "the connection");
    const id = "om_ws_card_000001";
    cardFamily(sandbox.state).messages.set(id, {
      messageId: id,
      appId: DEFAULT_APP_ID,
      card: approvalCard("审批中"),
      history: [],
      updates: 0,
    });
    const envelope = {
      schema: "2.0",
      header: {
        event_id: "ws_evt_0001",
        event_type: "card.action.trigger",
        create_time: String(Date.now() * 1000),
        app_id: DEFAULT_APP_ID,
        tenant_key: "t",
        token: "",
      },
      event: {
        operator: { open_id: "ou_ws" },
        action: { tag: "button", value: { action: "approve" } },
        context: { open_message_id: id },
      },
    };
    const send = () =>
      family.hub.sendEvent(
        family.hub.pick(DEFAULT_APP_ID)!.id,
        new TextEncoder().encode(JSON.stringify(envelope)),
        {
          chunks: 1,
          traceId: "trace",
          timeoutMs: 5000,
          sleep: (ms, s) =>
            new Promise((r) => {
              const t = setTimeout(() => r(true), ms);
              s.addEventListener("abort", () => (clearTimeout(t), r(false)));
            }),
        },
      );
    assert.equal(await send(), 200, "acknowledged once stored");
    assert.equal(await send(), 200, "a redelivery is acknowledged too");
    const card = () => JSON.stringify(cardFamily(sandbox.state).messages.get(id)!.card);
    await waitFor(() => card().includes("已通过"), 10_000, "the card update");
    // Both deliveries were acknowledged once stored: when the queue is idle, the redelivery was processed too.
    await waitFor(
      async () => {
        const s = await queue.stats();
        return s.ready === 0 && s.inflight === 0;
      },
      10_000,
      "the queue to drain",
    );
    assert.equal(runs, 1, "handled once");
  } finally {
    ws.close();
    await worker.stop();
    await queue.close();
    ledger.close();
    await sbx.close();
    await Deno.remove(dir, { recursive: true });
  }
});
