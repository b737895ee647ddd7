import assert from "node:assert/strict";
import { runPlugin } from "../../sandbox/plugin/mod.ts";
import { startUiHarness } from "./_ui_harness.ts";
import { waitFor } from "./_harness.ts";

async function uiToken(url: string): Promise<string> {
  const html = await (await fetch(url)).text();
  return /const TOKEN="([^"]+)"/.exec(html)![1];
}

/** A GET with a chosen Host header (fetch does not let us set it). */
async function rawGet(url: string, host: string): Promise<string> {
  const port = Number(new URL(url).port);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(
    new TextEncoder().encode(`GET /api/state HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  );
  const buf = new Uint8Array(64);
  const n = await conn.read(buf);
  conn.close();
  return new TextDecoder().decode(buf.subarray(0, n ?? 0));
}

Deno.test("ui server: actions need the page token and its own origin; Host must be loopback", async () => {
  const h = await startUiHarness();
  try {
    const token = await uiToken(h.ui.url);
    const state = await (await fetch(`${h.ui.url}/api/state`)).json();
    assert.equal(state.running, false);
    assert.equal(state.language, "zh");
    const noToken = await fetch(`${h.ui.url}/api/start`, { method: "POST" });
    assert.equal(noToken.status, 403);
    await noToken.body?.cancel();
    const foreign = await fetch(`${h.ui.url}/api/start`, {
      method: "POST",
      headers: { "x-ui-token": token, origin: "https://evil.example" },
    });
    assert.equal(foreign.status, 403);
    await foreign.body?.cancel();
    assert.match(await rawGet(h.ui.url, "evil.example"), /^HTTP\/1\.1 403/, "DNS rebinding refused");
    assert.match(await rawGet(h.ui.url, "127.0.0.1"), /^HTTP\/1\.1 200/);
    const ok = await fetch(`${h.ui.url}/api/start`, {
      method: "POST",
      headers: { "x-ui-token": token, origin: h.ui.url },
    });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.equal(h.app.running, true);
  } finally {
    await h.close();
  }
});

Deno.test("ui server: settings persist with the token sealed; SSE shows counts moving during a job", async () => {
  const h = await startUiHarness({ attachments: 9, sizes: [1_000_000], slowChunkMs: 50 });
  try {
    const token = await uiToken(h.ui.url);
    const post = (path: string, body: unknown) =>
      fetch(`${h.ui.url}${path}`, {
        method: "POST",
        headers: { "x-ui-token": token, "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    await post("/api/settings", { language: "en", personalBaseToken: h.base.personalBaseToken });
    const saved = await Deno.readTextFile(`${h.dir}/config/settings.json`);
    assert.ok(!saved.includes(h.base.personalBaseToken), "token not stored in clear");
    assert.match(saved, /personalBaseTokenSealed/);
    const state = await (await fetch(`${h.ui.url}/api/state`)).json();
    assert.equal(state.language, "en");
    assert.equal(state.settings.tokenSet, true);
    assert.ok(!JSON.stringify(state).includes(h.base.personalBaseToken), "token masked in the UI state");
    await post("/api/start", {});
    // Follow the event stream while a job runs.
    const res = await fetch(`${h.ui.url}/api/events`);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const done: number[] = [];
    const job = runPlugin({
      service: h.app.service!.url,
      sandbox: h.server.url,
      mode: "url",
      jobName: "界面",
      skipProbe: true,
    });
    let buf = "";
    while (!done.includes(9)) {
      const { value, done: end } = await reader.read();
      if (end) break;
      buf += value;
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const ev = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = ev.split("\n").find((l) => l.startsWith("data:"));
        if (data) done.push(JSON.parse(data.slice(5)).job?.counts.done ?? 0);
      }
    }
    await reader.cancel();
    const r = await job;
    assert.equal(r.succeeded.size, 9);
    assert.ok(new Set(done).size >= 3, `counts moved: ${done.join(",")}`);
    await waitFor(() => h.app.store.history()[0]?.status === "completed");
    const hist = (await (await fetch(`${h.ui.url}/api/state`)).json()).history;
    assert.equal(hist[0].done, 9);
    assert.equal((await post("/api/open", { key: hist[0].key })).ok, true);
    assert.equal(h.opened[0], hist[0].dir);
  } finally {
    await h.close();
  }
});
