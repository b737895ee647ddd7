import assert from "node:assert/strict";
import { waitFor } from "../../lib/testing/wait_for.ts";
import {
  decodeFrame,
  encodeFrame,
  type Frame,
  FRAME_CONTROL,
  FRAME_DATA,
  frameHeader,
  meetingFamily,
} from "../../sandbox/scenarios/meeting/mod.ts";
import { DEFAULT_APP_ID, DEFAULT_APP_SECRET } from "../../sandbox/mod.ts";
import { call, postJson, withSandbox } from "./_helpers.ts";

const ENDPOINT = "/callback/ws/endpoint";

/** A bare-bones long-connection client speaking pbbp2 with the sandbox's own codec. */
class RawClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<void>;
  #ws: WebSocket;
  #waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => {
      this.frames.push(decodeFrame(new Uint8Array(e.data as ArrayBuffer)));
      for (const w of this.#waiters.splice(0)) w();
    };
    this.closed = new Promise((resolve) => ws.addEventListener("close", () => resolve()));
  }

  static async open(url: string): Promise<{ client: RawClient; serviceId: number }> {
    const found = await postJson(url + ENDPOINT, { AppID: DEFAULT_APP_ID, AppSecret: DEFAULT_APP_SECRET });
    const wsUrl = new URL(found.body.data.URL);
    const ws = new WebSocket(wsUrl);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    return { client: new RawClient(ws), serviceId: Number(wsUrl.searchParams.get("service_id")) };
  }

  send(frame: Frame): void {
    this.#ws.send(encodeFrame(frame));
  }

  /** Wait until `n` frames matching `pred` arrived (or fail after `ms`). */
  async waitFor(pred: (f: Frame) => boolean, n = 1, ms = 10_000): Promise<Frame[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hits = this.frames.filter(pred);
      if (hits.length >= n) return hits;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} frames (have ${hits.length})`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 20);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  ack(frame: Frame, code = 200): void {
    this.send({
      ...frame,
      headers: [...frame.headers, { key: "biz_rt", value: "1" }],
      payload: new TextEncoder().encode(JSON.stringify({ code })),
    });
  }

  async close(): Promise<void> {
    this.#ws.close();
    await this.closed;
  }
}

const isEvent = (f: Frame) => f.method === FRAME_DATA && frameHeader(f, "type") === "event";

function merge(frames: Frame[]): Record<string, unknown> {
  const sorted = [...frames].sort((a, b) => Number(frameHeader(a, "seq")) - Number(frameHeader(b, "seq")));
  const bytes = sorted.flatMap((f) => [...f.payload!]);
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bytes)));
}

Deno.test("ws endpoint: URL with device_id/service_id and ClientConfig; wrong secret 514; no credential", async () => {
  const meeting = { pingIntervalSec: 7, reconnectCount: 3, reconnectIntervalSec: 5, reconnectNonceSec: 2 };
  await withSandbox({ meeting }, async ({ url, server, sandbox }) => {
    const ok = await postJson(url + ENDPOINT, { AppID: DEFAULT_APP_ID, AppSecret: DEFAULT_APP_SECRET });
    assert.equal(ok.body.code, 0);
    const wsUrl = new URL(ok.body.data.URL);
    assert.equal(wsUrl.protocol, "ws:");
    assert.equal(wsUrl.host, `127.0.0.1:${server.port}`);
    assert.match(wsUrl.searchParams.get("device_id")!, /^\d+$/);
    assert.match(wsUrl.searchParams.get("service_id")!, /^\d+$/);
    assert.notEqual(
      [...wsUrl.searchParams.keys()][0],
      "device_id",
      "first key is unusable for qs-style parsers",
    );
    assert.deepEqual(ok.body.data.ClientConfig, {
      PingInterval: 7,
      ReconnectCount: 3,
      ReconnectInterval: 5,
      ReconnectNonce: 2,
    });
    const wrong = await postJson(url + ENDPOINT, { AppID: DEFAULT_APP_ID, AppSecret: "nope" });
    assert.equal(wrong.status, 200);
    assert.deepEqual(wrong.body, { code: 514, msg: "auth failed", data: {} });
    const missing = await postJson(url + ENDPOINT, {});
    assert.equal(missing.body.code, 1000040344);
    assert.equal(sandbox.journal.count("ws_endpoint"), 3);

    const bad = await call(`${url}/ws/v2?ticket=forged`);
    assert.equal(bad.status, 403);
    assert.equal(bad.headers.get("handshake-status"), "403");
    assert.ok(bad.headers.get("handshake-msg"));
    assert.ok(bad.headers.get("handshake-autherrcode"));
  });
});

Deno.test("ws: ping → pong with the ClientConfig JSON; a frozen socket stops answering", async () => {
  await withSandbox({ meeting: { pingIntervalSec: 9 } }, async ({ url, sandbox }) => {
    const { client, serviceId } = await RawClient.open(url);
    const ping = {
      SeqID: 0n,
      LogID: 0n,
      service: serviceId,
      method: FRAME_CONTROL,
      headers: [{ key: "type", value: "ping" }],
    };
    client.send(ping);
    const [pong] = await client.waitFor((f) => frameHeader(f, "type") === "pong");
    assert.equal(pong.method, FRAME_CONTROL);
    assert.equal(pong.service, serviceId);
    assert.equal(JSON.parse(new TextDecoder().decode(pong.payload)).PingInterval, 9);
    const family = meetingFamily(sandbox);
    assert.equal(family.connections[0].pings, 1);
    assert.equal(sandbox.journal.last("ws_connect")?.status, 101);

    const killed = await postJson(url + "/__sandbox/meeting/ws/kill", { mode: "freeze" });
    assert.equal(killed.body.data.affected, 1);
    client.send(ping);
    // An absence can only be observed for a while: no second pong within 300 ms.
    await assert.rejects(client.waitFor((f) => frameHeader(f, "type") === "pong", 2, 300), /timed out/);
    assert.equal(client.frames.length, 1, "no pong from a frozen socket");
    assert.equal(family.connections[0].state, "frozen");
    await client.close();
  });
});

Deno.test("ws: events arrive in `sum` chunks, the ack marks them delivered; tickets are single use", async () => {
  await withSandbox({ meeting: { recordingReadyAfterMs: 0 } }, async ({ url, sandbox }) => {
    const found = await postJson(url + ENDPOINT, { AppID: DEFAULT_APP_ID, AppSecret: DEFAULT_APP_SECRET });
    const { client } = await RawClient.open(url);
    const family = meetingFamily(sandbox);
    const ended = await postJson(url + "/__sandbox/meeting/end", { topic: "长连接周会", chunks: 3 });
    assert.deepEqual(ended.body.data.deliveries.map((d: { channel: string }) => d.channel), ["ws"]);
    const frames = await client.waitFor(isEvent, 3);
    assert.deepEqual(frames.map((f) => frameHeader(f, "seq")), ["0", "1", "2"]);
    assert.ok(frames.every((f) => frameHeader(f, "sum") === "3"));
    assert.equal(new Set(frames.map((f) => frameHeader(f, "message_id"))).size, 1);
    assert.ok(frameHeader(frames[0], "trace_id"));
    const event = merge(frames) as { header: { event_id: string }; event: { meeting: { topic: string } } };
    assert.equal(event.header.event_id, ended.body.data.event_id);
    assert.equal(event.event.meeting.topic, "长连接周会");
    client.ack(frames[2]);
    await family.whenDelivered();
    const [d] = family.deliveries;
    assert.equal(d.status, "delivered");
    assert.equal(d.attempts[0].ackCode, 200);
    assert.equal(d.attempts[0].connectionId, "conn-1");

    // The first discovery's ticket was never used; the one RawClient used is gone.
    const used = new URL(found.body.data.URL);
    assert.equal((await call(`${url}/ws/v2${used.search}`)).status, 400, "valid ticket, but not an upgrade");
    assert.equal((await call(`${url}/ws/v2${used.search}`)).status, 403, "single use");
    await client.close();
  });
});

Deno.test("ws: no ack in time (or ack code 500) → redelivered with the same event_id", async () => {
  // The window is long enough for a loaded machine to ack the second attempt in time.
  const meeting = { answerTimeoutMs: 1500, redeliveryScheduleMs: [20, 20] };
  await withSandbox({ meeting }, async ({ url, sandbox }) => {
    const { client } = await RawClient.open(url);
    const family = meetingFamily(sandbox);
    const ended = await family.endMeeting({ topic: "重投" });
    const [first] = await client.waitFor(isEvent, 1);
    const [, second] = await client.waitFor(isEvent, 2);
    client.ack(second, 500);
    const [, , third] = await client.waitFor(isEvent, 3);
    client.ack(third);
    await family.whenDelivered();
    const ids = [first, second, third].map((f) =>
      (merge([f]) as { header: { event_id: string } }).header.event_id
    );
    assert.deepEqual(ids, [ended.event_id, ended.event_id, ended.event_id]);
    assert.notEqual(frameHeader(first, "message_id"), frameHeader(third, "message_id"));
    const [d] = family.deliveries;
    assert.equal(d.status, "delivered");
    assert.deepEqual(d.attempts.map((a) => a.error ?? a.ackCode), ["no ack", 500, 200]);
    await client.close();
  });
});

Deno.test("ws: kill closes the socket; later events go to a new connection or, with none, the webhook", async () => {
  const meeting = { answerTimeoutMs: 30_000, redeliveryScheduleMs: [50] };
  await withSandbox({ meeting }, async ({ url, sandbox }) => {
    const family = meetingFamily(sandbox);
    const a = await RawClient.open(url);
    await family.endMeeting({ topic: "断线" });
    await a.client.waitFor(isEvent, 1);
    assert.equal(family.killConnections("close"), 1);
    await a.client.closed;
    const b = await RawClient.open(url);
    const [again] = await b.client.waitFor(isEvent, 1);
    b.client.ack(again);
    await family.whenDelivered();
    const [lost] = family.deliveries[0].attempts;
    assert.equal(lost.error, "no ack");
    assert.ok(lost.ms < 30_000, "a closed socket fails the attempt at once, not after the 30 s window");
    assert.deepEqual(family.deliveries[0].attempts.map((x) => x.connectionId), ["conn-1", "conn-2"]);
    assert.deepEqual(family.connections.map((c) => c.state), ["closed", "open"]);
    await b.client.close();
    await waitFor(() => family.connections.every((c) => c.state === "closed"), {
      what: "both sockets closed",
    });
    family.configure({ redeliveryScheduleMs: [] });
    const later = await family.endMeeting({ topic: "无连接" });
    assert.equal(later.deliveries[0].channel, "webhook", "auto falls back to the webhook");
    const both = await family.endMeeting({ delivery: "both" });
    assert.deepEqual(both.deliveries.map((d) => d.channel), ["webhook", "ws"]);
    await family.whenDelivered();
  });
});
