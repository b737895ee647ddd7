import assert from "node:assert/strict";
import { OriginGate } from "../../pipelines/attachments/origin_policy.ts";
import { JobStore } from "../../pipelines/attachments/job_store.ts";
import { FakeClock } from "../../lib/testing/mod.ts";
import { openSocket, probe } from "../../sandbox/plugin/mod.ts";
import { startHarness, waitFor } from "./_harness.ts";

const HOST = "127.0.0.1:11548";

Deno.test("origin gate: plugin origins, tokens, Host, held origins, remembered answers", async () => {
  const store = new JobStore(":memory:");
  const clock = new FakeClock(0);
  const gate = new OriginGate({
    store,
    pairingToken: "tok",
    clock,
    waitMs: 1000,
    allowOrigins: ["http://localhost:5173"],
  });
  assert.deepEqual(await gate.check({ host: HOST, origin: "https://ext.baseopendev.com" }), { ok: true });
  assert.deepEqual(await gate.check({ host: HOST, origin: "http://localhost:5173" }), { ok: true });
  assert.equal((await gate.check({ host: HOST })).ok, false, "no Origin needs the token");
  assert.deepEqual(await gate.check({ host: HOST, token: "tok" }), { ok: true });
  assert.equal(
    (await gate.check({ host: "evil.example:11548", origin: "https://ext.baseopendev.com" })).ok,
    false,
  );
  // Unknown origin: held, then refused on timeout, listed as pending.
  const held = gate.check({ host: HOST, origin: "https://evil.example" });
  await Promise.resolve();
  assert.deepEqual(gate.pending().map((p) => p.origin), ["https://evil.example"]);
  await clock.tick(1000);
  assert.equal((await held).ok, false);
  // The user allows it once: the held upgrade goes through; remembered answers persist.
  const again = gate.check({ host: HOST, origin: "https://tool.example" });
  await Promise.resolve();
  gate.decide("https://tool.example", "allow");
  assert.deepEqual(await again, { ok: true });
  gate.decide("https://evil.example", "refuse");
  const fresh = new OriginGate({ store, pairingToken: "tok", clock });
  assert.deepEqual(await fresh.check({ host: HOST, origin: "https://tool.example" }), { ok: true });
  const refused = await fresh.check({ host: HOST, origin: "https://evil.example" });
  assert.equal(refused.ok, false);
  // Beyond loopback: every client needs the token, whatever its origin.
  const wide = new OriginGate({ store, pairingToken: "tok", requireTokenForAll: true, clock });
  assert.equal(
    (await wide.check({ host: "10.0.0.2:11548", origin: "https://ext.baseopendev.com" })).ok,
    false,
  );
  assert.deepEqual(
    await wide.check({ host: "10.0.0.2:11548", origin: "https://ext.baseopendev.com", token: "tok" }),
    {
      ok: true,
    },
  );
  store.close();
});

Deno.test("e2e: a foreign Origin is refused, the service stays up; oversized frames get a clear error", async () => {
  const h = await startHarness({}, { originDecisionWaitMs: 50, maxFrameBytes: 1024 });
  try {
    const foreign = await probe(h.ws, "https://evil.example");
    assert.equal(foreign?.version, undefined, "no answer to a foreign page");
    assert.ok(h.service.gate.pending().some((p) => p.origin === "https://evil.example"));
    const ok = await probe(h.ws);
    assert.equal(ok?.version, "1.1.8");
    const native = await probe(`${h.ws}/?token=pair-test-token`, null);
    assert.equal(native?.version, "1.1.8", "a native client with the pairing token");
    assert.equal((await probe(h.ws, null))?.version, undefined, "a native client without it");
    const ws = openSocket(h.ws, undefined);
    const got = await new Promise<Record<string, unknown>>((resolve) => {
      ws.onopen = () =>
        ws.send(JSON.stringify({ type: "feishu_attachment_link", data: { name: "x".repeat(4000) } }));
      ws.onmessage = (e) => resolve(JSON.parse(String(e.data)).data);
    });
    assert.equal(got.status, "error");
    assert.match(String(got.message), /frame too large/);
    await new Promise<void>((r) => ws.readyState === WebSocket.CLOSED ? r() : (ws.onclose = () => r()));
    assert.equal((await probe(h.ws))?.version, "1.1.8", "service still up");
  } finally {
    await h.close();
  }
});

Deno.test("e2e: connections and files per job are bounded", async () => {
  const h = await startHarness({ attachments: 3, sizes: [10] }, { maxConnections: 1 }, { maxFilesPerJob: 2 });
  try {
    const first = openSocket(h.ws, undefined);
    await new Promise<void>((r) => (first.onopen = () => r()));
    const refused = await probe(h.ws);
    assert.equal(refused?.version, undefined, "a second connection is refused while one is open");
    const acks: Record<string, unknown>[] = [];
    const got = new Promise<void>((resolve) => {
      first.onmessage = (e) => {
        acks.push(JSON.parse(String(e.data)).data);
        if (acks.some((a) => a.order === 3 && a.status === "error")) resolve();
      };
    });
    first.send(
      JSON.stringify({ type: "feishu_attachment_config", data: { jobId: "1", jobName: "上限", total: 3 } }),
    );
    for (const order of [1, 2, 3]) {
      first.send(JSON.stringify({ type: "feishu_attachment_link", data: { name: `f${order}.txt`, order } }));
    }
    await got;
    assert.match(String(acks.find((a) => a.order === 3)!.message), /文件数超过上限/);
    first.close();
    await new Promise<void>((r) => first.readyState === WebSocket.CLOSED ? r() : (first.onclose = () => r()));
    await waitFor(async () => (await probe(h.ws))?.version === "1.1.8", 5000, "slot free again");
  } finally {
    await h.close();
  }
});
