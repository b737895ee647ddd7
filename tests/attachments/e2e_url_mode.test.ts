import assert from "node:assert/strict";
import { runPlugin } from "../../sandbox/plugin/mod.ts";
import { expectedSha, fileSha, listFiles, startHarness, waitFor } from "./_harness.ts";

Deno.test("e2e url mode: small job, probe, acks in order, files byte-identical", async () => {
  const h = await startHarness({ attachments: 12 });
  try {
    const r = await runPlugin({ service: h.ws, sandbox: h.server.url, mode: "url", jobName: "合同附件" });
    assert.ok(r.probe?.accepted, "probe accepted");
    assert.equal(r.probe!.version, "1.1.8", "the probe is answered with the version (its speed: bench)");
    assert.equal(r.fatal, undefined);
    assert.ok(r.jobCompleted);
    assert.equal(r.succeeded.size, 12, `failed: ${JSON.stringify([...r.failed])}`);
    assert.equal(r.acks[0].stage, "server_info");
    assert.equal(r.acks.at(-1)!.stage, "job_complete");
    const files = await listFiles(`${h.settings.output}/合同附件`);
    assert.equal(files.length, 12);
    for (const a of h.base.attachments) {
      const ack = r.acks.find((x) => x.order === a.order && x.status === "success")!;
      assert.equal(await fileSha(String(ack.message)), await expectedSha(a.token, a.size), a.name);
    }
    assert.ok(files.some((f) => f.startsWith("CON_/")), "reserved folder name made safe");
  } finally {
    await h.close();
  }
});

Deno.test("e2e url mode: plugin closed mid-job → interrupted; the next run of the same job reuses finished files and resumes .part", async () => {
  const h = await startHarness({ attachments: 10, sizes: [1_500_000], slowChunkMs: 30 }, {}, {
    downloadConcurrency: 3,
  });
  try {
    const first = await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "url",
      jobName: "续传",
      skipProbe: true,
      closeAfterSuccesses: 4,
    });
    assert.equal(first.jobCompleted, false);
    assert.ok(first.connectionFailed);
    await waitFor(() => h.store.history()[0]?.status === "interrupted", 10_000, "job interrupted");
    await waitFor(() => h.service.jobs.size === 0, 10_000, "its downloads stopped");
    const dir = `${h.settings.output}/续传`;
    const before = await listFiles(dir);
    const done = before.filter((f) => !f.endsWith(".part") && !f.endsWith(".json"));
    assert.ok(done.length >= 4, `finished before the close: ${before}`);
    const served = h.base.stats.served;
    const ranged = h.base.stats.ranged;

    const second = await runPlugin({
      service: h.ws,
      sandbox: h.server.url,
      mode: "url",
      jobName: "续传",
      skipProbe: true,
    });
    assert.ok(second.jobCompleted);
    assert.equal(second.succeeded.size, 10);
    const after = await listFiles(dir);
    assert.equal(after.length, 10, `same folder, no copies, no .part: ${after}`);
    assert.equal(second.refreshes, 10 - done.length, "no link asked for (nor download) of finished files");
    assert.ok(h.base.stats.served - served <= 10 - done.length);
    if (before.some((f) => f.endsWith(".part"))) {
      assert.ok(h.base.stats.ranged > ranged, "partial files resumed");
    }
    for (const a of h.base.attachments) {
      const ack = second.acks.find((x) => x.order === a.order && x.status === "success")!;
      assert.equal(await fileSha(String(ack.message)), await expectedSha(a.token, a.size));
    }
    assert.equal(h.store.history()[1].status, "resumed");
  } finally {
    await h.close();
  }
});
