import assert from "node:assert/strict";
import { runPlugin } from "../../sandbox/plugin/mod.ts";
import { AttachmentService } from "../../pipelines/attachments/service.ts";
import { createLogger } from "../../lib/log/mod.ts";
import { expectedSha, fileSha, listFiles, startHarness, waitFor } from "./_harness.ts";

Deno.test("e2e token mode: plugin disconnects right after complete → all saved, ≤ 2 req/s per document", async () => {
  // The downloads run in a Worker (no fetch to inject): the sandbox's journal has each media
  // request's arrival time, which is what Feishu's 2 QPS window counts.
  const h = await startHarness({ attachments: 9, sizes: [1, 5000, 150_000] });
  try {
    const r = await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "token",
      jobName: "授权码",
      batchSize: 4,
    });
    assert.ok(r.probe?.accepted);
    await waitFor(() => h.store.history()[0]?.status === "completed", 30_000, "token job completed");
    const dir = `${h.settings.output}/授权码`;
    const files = await listFiles(dir);
    assert.equal(files.length, 9, files.join(","));
    const rows = h.store.files(h.store.history()[0].key);
    for (const a of h.base.attachments) {
      const row = rows.find((f) => f.item.order === a.order)!;
      assert.equal(row.status, "done");
      assert.equal(await fileSha(`${dir}/${row.rel}`), await expectedSha(a.token, a.size));
    }
    const sent = h.sandbox.journal.entries.filter((e) => e.path.includes("/medias/")).map((e) => e.ts);
    assert.equal(sent.length, 9);
    for (let i = 2; i < sent.length; i++) {
      assert.ok(sent[i] - sent[i - 2] >= 999, `requests ${i - 2}..${i} within ${sent[i] - sent[i - 2]} ms`);
    }
    assert.equal(h.base.stats.throttled, 0, "the sandbox's 2 QPS window never refused one");
  } finally {
    await h.close();
  }
});

Deno.test("e2e token mode: 429 + 99991400 is honoured (reset header), wrong token is a clear job error", async () => {
  // The sandbox grants this document 1 request per second while the service paces itself at 2/s,
  // so the job meets a 429 however long its download Worker takes to start (a timing-free setup).
  const h = await startHarness({ attachments: 3, sizes: [10], mediaQps: 1 });
  try {
    // A second client also spends the document's budget just before the job.
    const spend = () =>
      fetch(`${h.server.url}/open-apis/drive/v1/medias/x/download`, {
        headers: { authorization: `Bearer ${h.base.personalBaseToken}` },
      }).then((r) => r.body?.cancel());
    await Promise.all([spend(), spend()]);
    await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "token",
      jobName: "限流",
      skipProbe: true,
    });
    await waitFor(() => h.store.history()[0]?.status === "completed", 60_000, "job completed");
    const key = h.store.history()[0].key;
    assert.ok(h.store.files(key).every((f) => f.status === "done"), JSON.stringify(h.store.files(key)));
    assert.ok(h.base.stats.throttled > 0, "the sandbox did throttle");

    h.settings.personalBaseToken = "pt-wrong";
    await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "token",
      jobName: "错误令牌",
      skipProbe: true,
    });
    await waitFor(
      () => h.store.history().length === 2 && h.store.history()[0].status === "completed",
      30_000,
      "bad-token job ended",
    );
    const bad = h.store.history()[0];
    assert.match(bad.error ?? "", /授权码/);
    assert.equal(bad.failed, 3);
  } finally {
    await h.close();
  }
});

Deno.test("e2e token mode: service stopped mid-job and restarted → job completes, no duplicates, no .part", async () => {
  const h = await startHarness({ attachments: 6, sizes: [3_000_000], slowChunkMs: 40 }, {}, {
    downloadConcurrency: 3,
  });
  let second: AttachmentService | undefined;
  try {
    await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "token",
      jobName: "重启",
      skipProbe: true,
    });
    const key = () => h.store.history()[0]?.key;
    await waitFor(() => !!key() && h.store.files(key()).length === 6, 10_000, "files recorded");
    // Wait until bytes are on disk, then stop the service mid-job.
    const dir = `${h.settings.output}/重启`;
    const partBytes = async () => {
      let n = 0;
      for (const f of await listFiles(dir).catch(() => [] as string[])) {
        if (f.endsWith(".part")) n += (await Deno.stat(`${dir}/${f}`)).size;
      }
      return n;
    };
    await waitFor(async () => await partBytes() > 0, 20_000, "bytes in a .part");
    await h.service.stop();
    assert.equal(h.store.job(key())!.status, "running", "still to finish");
    assert.ok(h.store.files(key()).some((f) => f.status !== "done"));
    const rangedBefore = h.base.stats.ranged;
    second = new AttachmentService({
      port: 0,
      settings: h.settings,
      store: h.store,
      pairingToken: "x",
      logger: createLogger(),
    });
    await second.start();
    await waitFor(() => h.store.job(key())!.status !== "running", 60_000, "resumed job finished");
    assert.equal(h.store.job(key())!.status, "completed");
    const files = await listFiles(dir);
    assert.equal(files.length, 6, files.join(","));
    assert.ok(!files.some((f) => f.includes(".part")));
    assert.ok(h.base.stats.ranged > rangedBefore, "resumed with Range from the bytes on disk");
    for (const row of h.store.files(key())) {
      assert.equal(await fileSha(`${dir}/${row.rel}`), await expectedSha(row.item.token!, 3_000_000));
    }
  } finally {
    await second?.stop();
    second?.monitor.close();
    await h.close();
  }
});
